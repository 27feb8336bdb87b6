using Cairn.Server;
using Cairn.Server.Data;

try
{
    Hosting.KeepNativeHeapSmall();
    var builder = WebApplication.CreateBuilder(Hosting.Options(args));
    builder.UseOwnStaticFiles();
    builder.Configuration.AddCairnSources(args);
    builder.AddCairnHost();
    builder.Services.AddCairnData(builder.Configuration);
    builder.Services.AddCairnBilling();

    var app = builder.Build();
    await app.MigrateDatabaseAsync();
    app.RememberListeningAddress();
    app.UseCairnPipeline();
    app.MapHealth();
    app.MapLiveness();
    await app.RunAsync();
    return 0;
}
catch (Exception fault) when (StartupRefusal.OwnsTheProcess)
{
    // One line an operator can act on, instead of an unhandled-exception stack trace and an abort.
    await Console.Error.WriteLineAsync(StartupRefusal.Describe(fault));
    return StartupRefusal.ExitCode;
}

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
