using System.Security.Claims;
using System.Threading.RateLimiting;
using Cairn.Server.Data;
using Cairn.Server.Mail;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Identity;

/// <summary>
/// The ways in: an API key (<c>Authorization: Bearer</c>), the staff cookie, and the client
/// portal's own cookie. The default scheme picks the API key when a Bearer header is present
/// and the staff cookie otherwise; the portal cookie is only ever read by the portal.
/// </summary>
public static class SignInSchemes
{
    /// <summary>The default scheme: forwards to <see cref="ApiKeyAuthentication.SchemeName"/> or <see cref="Staff"/>.</summary>
    public const string Default = "Cairn";

    /// <summary>The staff session cookie.</summary>
    public const string Staff = "Staff";

    /// <summary>The client portal session cookie.</summary>
    public const string Portal = "Portal";

    /// <summary>The rate-limiter policy on opening portal links.</summary>
    public const string PortalLinkPolicy = "portal-links";

    /// <summary>The rate-limiter policy on sign-in attempts: a budget per client address.</summary>
    public const string SignInPolicy = "sign-in";

    /// <summary>The header that carries the antiforgery token on cookie-authenticated API changes.</summary>
    public const string AntiforgeryHeader = "X-CSRF-TOKEN";

    internal const string UserIdClaim = ClaimTypes.NameIdentifier;
    internal const string StampClaim = "cairn:stamp";
    internal const string PortalLinkClaim = "cairn:portal_link";

    /// <summary>Adds the staff and portal cookies, the default policy scheme, password hashing, antiforgery, mail and the rate limiter.</summary>
    public static void AddCairnSignIn(this AuthenticationBuilder authentication, IConfiguration configuration)
    {
        authentication.AddPolicyScheme(Default, "API key or staff session", o => o.ForwardDefaultSelector = context =>
            context.Request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                ? ApiKeyAuthentication.SchemeName
                : Staff);

        authentication.AddCookie(Staff, o =>
        {
            o.Cookie.Name = "cairn_staff";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.LoginPath = "/signin";
            o.AccessDeniedPath = "/signin";
            o.Events.OnValidatePrincipal = ValidateStaffAsync;
            o.Events.OnRedirectToLogin = context => AnswerApiOrRedirect(context, Problems.Unauthorized());
            o.Events.OnRedirectToAccessDenied = context => AnswerApiOrRedirect(context, Problems.Forbidden(null));
        });

        authentication.AddCookie(Portal, o =>
        {
            o.Cookie.Name = "cairn_portal";
            o.Cookie.Path = "/portal";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(2);
            o.SlidingExpiration = true;
            o.Events.OnValidatePrincipal = ValidatePortalAsync;
        });

        var services = authentication.Services;
        services.AddCairnIdentity(configuration);
        services.AddAntiforgery(o =>
        {
            o.HeaderName = AntiforgeryHeader;
            o.Cookie.Name = "cairn_antiforgery";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // Framing is refused on every response by the security headers (Transport), not on form pages only.
            o.SuppressXFrameOptionsHeader = true;
        });

        var options = CairnOptions.From(configuration);
        var perMinute = options.Portal.LinkOpensPerMinute;
        var signInsPerMinute = options.SignIn.AttemptsPerAddressPerMinute;
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = (context, _) => RejectAsync(context);
            o.AddPolicy(PortalLinkPolicy, context => PerAddress(context, perMinute));
            // Only the POST checks a password; reading the form is free.
            o.AddPolicy(SignInPolicy, context => HttpMethods.IsPost(context.Request.Method)
                ? PerAddress(context, signInsPerMinute)
                : RateLimitPartition.GetNoLimiter("read"));
        });
    }

    private static RateLimitPartition<string> PerAddress(HttpContext context, int perMinute) => RateLimitPartition.GetFixedWindowLimiter(
        context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
        _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 });

    /// <summary>Answers a refused attempt with 429, a problem document and how many seconds to wait (RFC 9110 Retry-After).</summary>
    private static async ValueTask RejectAsync(OnRejectedContext context)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
        var seconds = (int)Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds));
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await Problems.Write(context.HttpContext, Problems.Make(StatusCodes.Status429TooManyRequests, "Too many requests",
            $"Too many attempts from this address; try again in {seconds} seconds.", "rate_limited", null));
    }

    /// <summary>Password hashing, sign-in, invitations and mail: what the server and the command-line tool share.</summary>
    public static void AddCairnIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IPasswordHasher<StaffUser>, PasswordHasher<StaffUser>>();
        services.AddScoped<StaffSignIn>();
        services.AddScoped<TwoFactor>();
        services.AddScoped<Invitations>();
        services.AddScoped<UserAdministration>();
        services.AddCairnMail(configuration);
    }

    /// <summary>The principal of a signed-in person: the caller's claims (organization, role) plus the user id and security stamp.</summary>
    public static ClaimsPrincipal StaffPrincipal(StaffUser user, Caller caller)
    {
        var claims = caller.ToClaims().Append(new Claim(UserIdClaim, user.Id.ToString())).Append(new Claim(StampClaim, user.SecurityStamp));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Staff));
    }

    /// <summary>The principal of a client contact who opened a portal link.</summary>
    public static ClaimsPrincipal PortalPrincipal(PortalLink link, Domain.Contact contact)
    {
        var caller = new Caller(link.OrganizationId, new Domain.Actor(Domain.ActorKind.Contact, contact.Id.ToString(), contact.Name), null, link.ClientId);
        var claims = caller.ToClaims().Append(new Claim(PortalLinkClaim, link.Id.ToString()));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, Portal));
    }

    /// <summary>
    /// Cookie-authenticated changes to the API must carry the antiforgery token in
    /// <see cref="AntiforgeryHeader"/>; API-key requests need none (no browser sends them on its own).
    /// </summary>
    public static async Task<bool> CheckApiAntiforgeryAsync(HttpContext context)
    {
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || HttpMethods.IsTrace(request.Method)
            || !request.Path.StartsWithSegments("/api/v1") || context.User.Identity?.AuthenticationType != Staff)
            return true;
        try
        {
            await context.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(context);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            await Problems.Write(context, Problems.Invalid(AntiforgeryHeader, $"A change made with a staff session needs the antiforgery token in the {AntiforgeryHeader} header.", "antiforgery_token_invalid"));
            return false;
        }
    }

    private static async Task ValidateStaffAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal!;
        var stamp = principal.FindFirstValue(StampClaim);
        if (!Guid.TryParse(principal.FindFirstValue(UserIdClaim), out var id))
        {
            await RejectAsync(context, Staff);
            return;
        }

        var db = context.HttpContext.RequestServices.GetRequiredService<CairnDb>();
        var user = await db.Users.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(u => u.Id == id, context.HttpContext.RequestAborted);
        if (user is null || user.SecurityStamp != stamp || Caller.From(principal) is not { } caller)
        {
            await RejectAsync(context, Staff);
            return;
        }

        // The membership of the organization the session is in: deactivated there (or removed) ends the session.
        var current = await (from m in db.Memberships.IgnoreQueryFilters().AsNoTracking()
                             join o in db.Organizations.IgnoreQueryFilters() on m.OrganizationId equals o.Id
                             where m.UserId == id && m.OrganizationId == caller.OrganizationId
                             select new { Membership = m, o.RequireTwoFactor }).SingleOrDefaultAsync(context.HttpContext.RequestAborted);
        if (current is null || !current.Membership.IsActive)
        {
            await RejectAsync(context, Staff);
            return;
        }

        // The role, name and second-factor requirement are read fresh on every request, so a change applies at once.
        var fresh = current.Membership.CallerFor(user, current.RequireTwoFactor);
        if (caller != fresh)
        {
            context.ReplacePrincipal(StaffPrincipal(user, fresh));
            context.ShouldRenew = true;
        }
    }

    private static async Task ValidatePortalAsync(CookieValidatePrincipalContext context)
    {
        var db = context.HttpContext.RequestServices.GetRequiredService<CairnDb>();
        var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
        if (!Guid.TryParse(context.Principal!.FindFirstValue(PortalLinkClaim), out var id)
            || await db.PortalLinks.IgnoreQueryFilters().AsNoTracking().SingleOrDefaultAsync(l => l.Id == id, context.HttpContext.RequestAborted) is not { } link
            || !link.IsValid(clock.GetUtcNow()))
            await RejectAsync(context, Portal);
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context, string scheme)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(scheme);
    }

    private static Task AnswerApiOrRedirect(RedirectContext<CookieAuthenticationOptions> context, Microsoft.AspNetCore.Mvc.ProblemDetails problem)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
            return Problems.Write(context.HttpContext, problem);
        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
