using Cairn.Server.Api;
using Microsoft.AspNetCore.WebUtilities;
using Cairn.Server.Billing;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Authentication;
using Scalar.AspNetCore;
using Cairn.Server.Data;
using Cairn.Server.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cairn.Server;

/// <summary>Composition of the host: configuration sources, logging, port, data and services.</summary>
public static class Hosting
{
    /// <summary>The port Cairn listens on when no <c>--urls</c> or <c>Cairn:Port</c> says otherwise.</summary>
    public const int DefaultPort = 5080;

    private static readonly Dictionary<string, string> Switches = new(StringComparer.Ordinal)
    {
        ["--postgres"] = "Cairn:Postgres",
        ["--postgres-replica"] = "Cairn:PostgresReplica",
        ["--data-dir"] = "Cairn:DataDirectory",
        ["--port"] = "Cairn:Port",
        ["--demo"] = "Cairn:Demo",
    };

    /// <summary>
    /// <paramref name="message"/> with each setting that has a command-line switch followed by that
    /// switch, e.g. <c>Cairn:PostgresReplica (--postgres-replica)</c>: an operator who typed the switch
    /// recognizes the setting the message names.
    /// </summary>
    public static string NameSwitches(string message)
    {
        foreach (var (name, setting) in Switches)
            message = System.Text.RegularExpressions.Regex.Replace(message, System.Text.RegularExpressions.Regex.Escape(setting) + @"(?![\w:])", $"{setting} ({name})");
        return message;
    }

    /// <summary>
    /// Keeps glibc's malloc from holding freed native memory, before the host starts its threads: at
    /// most two arenas (by default a thread may get its own, up to eight per core, and memory the
    /// runtime frees, the JIT's above all, stays resident in each), and fixed 128 KiB thresholds for
    /// mapping large blocks and trimming the heap. Under the benchmark's load this keeps about 20 MB
    /// less resident (issue 16). True when the C library took all three; elsewhere than Linux, or
    /// with a C library without these settings, it changes nothing.
    /// </summary>
    public static bool KeepNativeHeapSmall()
    {
        if (!OperatingSystem.IsLinux())
            return false;
        try
        {
            // Fixed thresholds also turn off glibc's growing of them: blocks from 128 KiB up are mapped and
            // unmapped on their own, and free memory at the top of a heap goes back to the system.
            return mallopt(MallocArenaMax, 2) == 1
                & mallopt(MallocMmapThreshold, 128 * 1024) == 1
                & mallopt(MallocTrimThreshold, 128 * 1024) == 1;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    // The parameters' numbers in glibc's malloc.h.
    private const int MallocArenaMax = -8;
    private const int MallocMmapThreshold = -3;
    private const int MallocTrimThreshold = -1;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mallopt")]
    private static extern int mallopt(int parameter, int value);

    /// <summary>
    /// The host's options: its content root (static files, <c>appsettings.json</c>) is the
    /// application's own folder wherever the process starts, so <c>dotnet /opt/cairn/Cairn.Server.dll</c>
    /// run from any folder still serves its stylesheet. A content root given explicitly
    /// (<c>--contentRoot</c>, <c>ASPNETCORE_CONTENTROOT</c>, or a test host) wins. Data is not affected:
    /// the data folder stays relative to the working directory.
    /// </summary>
    public static WebApplicationOptions Options(string[] args)
    {
        var explicitRoot = args.Any(a => a.TrimStart('-', '/').StartsWith("contentRoot", StringComparison.OrdinalIgnoreCase))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_CONTENTROOT"))
            || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOTNET_CONTENTROOT"));
        return new WebApplicationOptions { Args = args, ContentRootPath = explicitRoot ? null : AppContext.BaseDirectory };
    }

    /// <summary>
    /// A build output (<c>dotnet build</c>, <c>dotnet run</c>) has no <c>wwwroot</c> of its own: its
    /// static files are served from the project through the static web assets manifest beside the
    /// assembly, in every environment. A published build serves its own <c>wwwroot</c>.
    /// </summary>
    public static void UseOwnStaticFiles(this WebApplicationBuilder builder)
    {
        if (!Directory.Exists(builder.Environment.WebRootPath) && File.Exists(Path.Combine(AppContext.BaseDirectory, builder.Environment.ApplicationName + ".staticwebassets.runtime.json")))
            builder.WebHost.UseStaticWebAssets();
    }

    /// <summary>
    /// Logging categories that write request paths or bound values below the given level (their floor;
    /// a stricter level configured for <c>Microsoft.AspNetCore</c>, Warning by default, applies too): the
    /// hosting diagnostics (request start and end lines and the <c>RequestPath</c> log scope on
    /// every line of a request), route matching, page handler arguments, parameter binding, the static-file and
    /// status-page middleware and Kestrel's bad-request details.
    /// </summary>
    internal static readonly (string Category, LogLevel Level)[] PathLoggingCategories =
    [
        ("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None),
        ("Microsoft.AspNetCore.Routing", LogLevel.Information),
        ("Microsoft.AspNetCore.Mvc", LogLevel.Information),
        ("Microsoft.AspNetCore.Http", LogLevel.Information),
        ("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Information),
        ("Microsoft.AspNetCore.StaticFiles", LogLevel.Information),
        ("Microsoft.AspNetCore.Diagnostics", LogLevel.Information),
    ];

    /// <summary>Adds <c>CAIRN_*</c> environment variables and the short command-line options.</summary>
    public static void AddCairnSources(this ConfigurationManager configuration, string[] args)
    {
        var fromEnvironment = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Cairn:Postgres"] = Environment.GetEnvironmentVariable("CAIRN_POSTGRES"),
            ["Cairn:PostgresReplica"] = Environment.GetEnvironmentVariable("CAIRN_POSTGRES_REPLICA"),
            ["Cairn:DataDirectory"] = Environment.GetEnvironmentVariable("CAIRN_DATA_DIR"),
            ["Cairn:Port"] = Environment.GetEnvironmentVariable("CAIRN_PORT"),
            ["Cairn:Demo"] = Environment.GetEnvironmentVariable("CAIRN_DEMO"),
        };
        configuration.AddInMemoryCollection(fromEnvironment.Where(p => !string.IsNullOrEmpty(p.Value)));

        // `--demo` alone is a flag; the other switches take a value.
        var normalized = args.Select((a, i) => a == "--demo" && (i + 1 >= args.Length || args[i + 1].StartsWith('-')) ? "--demo=true" : a).ToArray();
        configuration.AddCommandLine(normalized, Switches);

        // The demo is an organization of its own in a database of its own: `--demo` without a data
        // folder or PostgreSQL database named for it keeps out of ./data, where the user's own organization lives.
        if (bool.TryParse(configuration["Cairn:Demo"], out var demo) && demo
            && string.IsNullOrEmpty(configuration["Cairn:DataDirectory"]) && string.IsNullOrEmpty(configuration["Cairn:Postgres"]))
            configuration.AddInMemoryCollection([new("Cairn:DataDirectory", CairnOptions.DemoDataDirectory)]);
    }

    /// <summary>Checked settings (<see cref="CairnOptions"/>: a bad value stops start-up here), logging, the listening port and graceful shutdown.</summary>
    public static void AddCairnHost(this WebApplicationBuilder builder)
    {
        var options = CairnOptions.From(builder.Configuration);
        builder.Services.AddSingleton<IValidateOptions<CairnOptions>, CairnOptionsValidation>();
        builder.Services.AddOptions<CairnOptions>().Bind(builder.Configuration.GetSection(CairnOptions.Section)).ValidateOnStart();

        builder.Logging.ClearProviders();
        if (options.LogFormat == "json")
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        else
            builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.IncludeScopes = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore.Database.Command", LogLevel.Warning);

        // Request paths carry invitation and portal tokens. ASP.NET Core's own logs stay at Warning
        // unless asked for, and the categories that write a request's path, route values or handler
        // arguments (the hosting log scope included) stay quiet whatever the configuration asks.
        // A path category's own rule replaces the general one, so it takes the stricter of the two:
        // at Information it would write a line per request ("Executing endpoint …") while the rest of
        // ASP.NET Core stays at Warning (issue 16: a tenth of a contract read's CPU went to such lines).
        var aspNetCoreLevel = Enum.TryParse<LogLevel>(builder.Configuration["Logging:LogLevel:Microsoft.AspNetCore"], ignoreCase: true, out var configured)
            ? configured
            : LogLevel.Warning;
        if (builder.Configuration["Logging:LogLevel:Microsoft.AspNetCore"] is null)
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        foreach (var (category, level) in PathLoggingCategories)
            builder.Logging.AddFilter(category, (LogLevel)Math.Max((int)level, (int)aspNetCoreLevel));

        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]) && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("ASPNETCORE_URLS")))
        {
            builder.WebHost.UseUrls($"http://localhost:{options.Port}");
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = Limits.MaxBodyBytes;
            k.Limits.MaxRequestLineSize = Limits.MaxRequestLineBytes;
        });
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        builder.Services.AddCairnOpenApi();
        builder.Services.AddSingleton<ApiKeyCache>();
        builder.Services.AddSingleton<RefusedKeys>();
        builder.Services.AddHostedService<ApiKeyRevocationListener>();
        builder.Services.AddAuthentication(SignInSchemes.Default)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null)
            .AddCairnSignIn(builder.Configuration);
        builder.Services.AddAuthorization();
        builder.Services.AddRazorPages(o => o.RootDirectory = "/Web/Pages");
        builder.Services.AddCairnTransport(builder.Configuration);
    }

    /// <summary>The request pipeline: errors as problems, one more run for a request that met a dead database connection, who is asking, one transaction per change, then the routes.</summary>
    public static void UseCairnPipeline(this WebApplication app)
    {
        PublicUrl.WarnWhenMissing(app.Configuration, app.Logger);
        app.UseCairnTransport();
        app.UseMiddleware<ErrorHandling>();
        app.UseMiddleware<ConnectionLossRetry>();
        app.UseStaticFiles();
        // Web pages answer an error without a body (unknown id, /setup after setup, an expired portal
        // link) with a styled page and a way back; the API answers with problem documents.
        app.UseWhen(c => !c.Request.Path.StartsWithSegments("/api"), web => web.UseStatusCodePagesWithReExecute("/status/{0}"));
        app.UseStatusCodePages(context =>
        {
            // Answers without a body (no such route, wrong method, a refusal by the framework) are
            // problem documents too, except for a browser asking for a page.
            var http = context.HttpContext;
            var status = http.Response.StatusCode;
            var api = http.Request.Path.StartsWithSegments("/api");
            if (!api && http.Request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase))
                return Task.CompletedTask;
            return Problems.Write(http, status == StatusCodes.Status415UnsupportedMediaType
                ? ErrorHandling.UnsupportedMediaType()
                : Problems.Make(status, ReasonPhrases.GetReasonPhrase(status), status switch
                {
                    StatusCodes.Status404NotFound => api ? "There is no such route in the API; see /openapi/v1.json." : "There is no such page.",
                    StatusCodes.Status405MethodNotAllowed => "This route does not accept that HTTP method; see /openapi/v1.json.",
                    _ => "The request could not be handled.",
                }, status == 404 ? "no_such_route" : status == 405 ? "method_not_allowed" : "bad_request", null));
        });

        // Routing after the status pages, so a re-executed request finds the status page's endpoint.
        app.UseRouting();
        app.Use(async (context, next) =>
        {
            // Kestrel enforces the body limit on the wire; this answers early and also covers other servers.
            // Endpoints that take files accept bodies up to the per-file limit.
            var bodyLimit = AcceptsFilesAttribute.BodyLimitOf(context);
            if (context.Request.ContentLength > bodyLimit)
            {
                await Problems.Write(context, ErrorHandling.PayloadTooLarge(bodyLimit));
                return;
            }

            AcceptsFilesAttribute.Apply(context, bodyLimit);

            // Kestrel reads request lines up to MaxRequestLineBytes (answering longer ones itself, without a body);
            // Cairn refuses anything above MaxUrlBytes here, with a problem document.
            if (context.Request.Path.Value?.Length + context.Request.QueryString.Value?.Length > Limits.MaxUrlBytes)
            {
                await Problems.Write(context, Problems.Make(StatusCodes.Status414UriTooLong, "URI too long", $"The URL is longer than {Limits.MaxUrlBytes / 1024} KiB.", "uri_too_long", "url"));
                return;
            }

            await next(context);
        });
        app.UseAuthentication();
        app.Use(async (context, next) =>
        {
            // Scope the unit of work to the caller's organization before any endpoint reads data.
            if (Caller.From(context.User) is { } caller)
            {
                context.RequestServices.GetRequiredService<CairnDb>().TenantId = caller.OrganizationId;

                // The organization requires a second factor this member has not set up: no page opens but
                // enrolment, switching organization and signing out (the API answers 403 through Caller.Can).
                if (caller.MustEnrolTwoFactor && !context.Request.Path.StartsWithSegments("/api")
                    && !context.Request.Path.StartsWithSegments("/account") && !context.Request.Path.StartsWithSegments("/signout"))
                {
                    context.Response.Redirect("/account/two-factor");
                    return;
                }
            }

            await next(context);
        });
        app.UseRateLimiter();
        app.Use(async (context, next) =>
        {
            if (await SignInSchemes.CheckApiAntiforgeryAsync(context))
                await next(context);
        });
        app.UseMiddleware<UnitOfWork>();
        app.MapOpenApi("/openapi/{documentName}.json").AnswerHeadLikeGet();
        app.MapScalarApiReference("/docs", o => o.WithTitle("Cairn API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        app.MapCairnApi();
        app.MapRazorPages();
        app.MapPortalLinkOpening();
        app.MapCalendarFeed();
    }

    /// <summary>The database: SQLite by default, PostgreSQL when a connection string is given.</summary>
    public static void AddCairnData(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = DatabaseSettings.From(configuration);
        services.AddSingleton(settings);
        // The options are built once, and contexts come from a pool (issue 16: building one per request
        // was a measurable part of a contract read). Each scope rents one and returns it when the scope
        // ends; the pool clears its tracked entities, and CairnDb.Rent() puts its tenant back to empty.
        services.AddPooledDbContextFactory<CairnDb>((sp, options) =>
        {
            sp.GetRequiredService<DatabaseSettings>().Configure(options);
            // Wakes the outbox dispatcher after a commit that wrote events or emails.
            if (sp.GetService<Outbox.OutboxCommitInterceptor>() is { } wake)
                options.AddInterceptors(wake);
        });
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<CairnDb>>().CreateDbContext().Rent());
        // Reports and lists read through ReadDatabase: the PostgreSQL standby when one is configured and fresh.
        services.AddSingleton<ReplicaFreshness>();
        services.AddScoped<ReadDatabase>();
        services.AddSingleton<StartupModels>();
        services.AddCairnKeyRing(configuration);
    }

    /// <summary>The billing use cases.</summary>
    public static void AddCairnBilling(this IServiceCollection services)
    {
        services.AddScoped<Invoicing>();
        services.AddScoped<InvoiceSending>();
        services.AddScoped<Payments>();
        services.AddScoped<CreditNotes>();
        services.AddScoped<ChangeOrders>();
        services.AddScoped<Disputes>();
        services.AddScoped<Reports>();
        services.AddScoped<BusinessDays>();
        services.AddScoped<Provisioning>();
        services.AddScoped<Templates>();
        services.AddScoped<Contracts>();
        services.AddScoped<Proposals>();
        services.AddScoped<Attachments>();
        services.AddScoped<Branding>();
        services.AddScoped<Comments>();
        services.AddScoped<Milestones>();
        services.AddCairnWebhooks();
        services.AddSingleton<Jobs.ScheduledBilling>();
        services.AddHostedService(sp => sp.GetRequiredService<Jobs.ScheduledBilling>());
        services.AddScoped<Reminders.ReminderRules>();
        services.AddScoped<LateInterestCharges>();
        services.AddSingleton<Jobs.Dunning>();
        services.AddHostedService(sp => sp.GetRequiredService<Jobs.Dunning>());
        services.AddHostedService(sp => sp.GetRequiredService<Outbox.OutboxDispatcher>());
    }

    /// <summary>
    /// Creates or upgrades the schema before the first request is served, over a plain connection,
    /// while EF Core builds its model on another thread (the slowest part of a cold start).
    /// </summary>
    public static async Task MigrateDatabaseAsync(this WebApplication app)
    {
        var models = app.Services.GetRequiredService<StartupModels>();
        models.Start(app.Services);
        var settings = app.Services.GetRequiredService<DatabaseSettings>();
        var version = await Migrator.MigrateAsync(settings);
        app.Logger.LogInformation("Database {Engine} at schema version {Version}", settings.Engine, version);
        // A newcomer's first questions: where is my data, and where did the email with the link go?
        app.Logger.LogInformation("Data folder: {DataFolder}", DatabaseSettings.DataDirectory(app.Configuration));
        app.Logger.LogInformation("Database: {Database}", settings.Location);
        if (app.Services.GetRequiredService<ReplicaFreshness>().Location is { } standby)
            app.Logger.LogInformation("Reports and lists: read from the standby's {Replica} while it is at most {Seconds} s behind the primary, else from the primary",
                standby, app.Services.GetRequiredService<IOptions<CairnOptions>>().Value.ReplicaMaxLagSeconds);
        app.Logger.LogInformation("Mail: {Mail}", app.Services.GetRequiredService<Mail.MailSettings>().Location);
        await app.CheckKeyRingProtectionAsync();
        if (app.Services.GetRequiredService<IOptions<CairnOptions>>().Value.Demo)
        {
            await models.Built;
            await ActivatorUtilities.CreateInstance<Demo.DemoData>(app.Services).SeedAsync();
        }
    }

    /// <summary>
    /// Once the server listens, remembers its address for emailed links when <c>Cairn:PublicUrl</c> is not set
    /// (so <c>--urls http://127.0.0.1:5081</c> gives links to port 5081, not the default 5080) and logs where links point.
    /// </summary>
    public static void RememberListeningAddress(this WebApplication app)
    {
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var options = app.Services.GetRequiredService<IOptions<CairnOptions>>().Value;
            var addresses = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
                .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses ?? [];
            options.ListeningUrl = LinkBaseOf(addresses);
            app.Logger.LogInformation("Emailed links start with {LinkBase}", options.EmailedLinkBase);
        });
    }

    /// <summary>
    /// The base of emailed links for a server listening on <paramref name="addresses"/> (Kestrel's bound
    /// addresses, e.g. <c>http://0.0.0.0:8080</c>, <c>http://[::]:5080</c>, <c>http://127.0.0.1:5081</c>): the first
    /// http(s) one, with a wildcard host read as <c>localhost</c>; null when there is none.
    /// </summary>
    public static string? LinkBaseOf(IEnumerable<string> addresses)
    {
        foreach (var address in addresses)
        {
            var text = address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal);
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                continue;
            var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : uri.Host;
            if (uri.HostNameType == UriHostNameType.IPv6 && host != "localhost")
                host = $"[{uri.Host.Trim('[', ']')}]";
            return $"{uri.Scheme}://{host}:{uri.Port}";
        }

        return null;
    }

    /// <summary>
    /// <c>GET /healthz</c>: 200 with the engine and schema version when the database answers, 503 when it
    /// does not; with a PostgreSQL replica configured, also whether reports and lists read from it now
    /// (as of the last check, never waiting for one). A standby that fails does not make Cairn unhealthy:
    /// the primary answers for it.
    /// </summary>
    public static void MapHealth(this WebApplication app) =>
        app.MapGet("/healthz", async (DatabaseSettings settings, ReplicaFreshness replica, IOptions<CairnOptions> options, CancellationToken cancellationToken) =>
        {
            var replicaReport = replica.Configured
                ? new ReplicaReport(replica.IsFresh(), replica.Staleness is { } old ? Math.Round(old.TotalSeconds, 1, MidpointRounding.AwayFromZero) : null, options.Value.ReplicaMaxLagSeconds)
                : null;
            try
            {
                await using var connection = await settings.OpenConnectionAsync(cancellationToken);
                var version = await Migrator.CurrentVersionAsync(connection, cancellationToken);
                return Results.Ok(new HealthReport("ok", settings.Engine, version, replicaReport));
            }
            catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
            {
                return Results.Json(new HealthReport("unavailable", settings.Engine, null, replicaReport), statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).ExcludeFromDescription().AnswerHeadLikeGet();

    /// <summary><c>GET /livez</c>: 200 while the process serves requests, without touching the database (a liveness probe, and the trivial endpoint the benchmarks compare against).</summary>
    public static void MapLiveness(this WebApplication app) =>
        app.MapGet("/livez", () => Results.Text("ok")).ExcludeFromDescription().AnswerHeadLikeGet();
}

/// <summary>The body of <c>/healthz</c>; <see cref="Replica"/> only when a PostgreSQL replica is configured.</summary>
public sealed record HealthReport(
    string Status,
    string Database,
    int? SchemaVersion,
    [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] ReplicaReport? Replica = null);

/// <summary>
/// The replica in <c>/healthz</c>: whether reports and lists read from it now, how old its data may be
/// as of the last check (seconds, one decimal; null when it is not known to be current), and the
/// bound (<c>Cairn:ReplicaMaxLagSeconds</c>).
/// </summary>
public sealed record ReplicaReport(bool Serving, double? StalenessSeconds, int MaxLagSeconds);
