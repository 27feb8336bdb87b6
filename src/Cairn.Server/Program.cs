using Cairn.Server;
using Cairn.Server.Data;

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

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
