using Engagement.Functions.Hosting;
using Microsoft.Azure.Functions.Worker.Builder;

if (await Commands.TryRunAsync(args, Console.Out, Console.Error))
{
    return;
}

if (WorkerHost.IsUnderFunctionsHost(args))
{
    var worker = FunctionsApplication.CreateBuilder(args);
    worker.ConfigureFunctionsWebApplication();
    worker.UseMiddleware<HttpFunctionMiddleware>();
    worker.AddEngagement(underFunctionsHost: true);
    WorkerHost.ConnectToTheHostLast(worker.Services);
    await worker.Build().RunAsync();
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddStandaloneHost();
builder.AddEngagement();
var app = builder.Build();
app.MapFunctions();
await app.RunAsync();

/// <summary>Entry point; public so tests can start the app with WebApplicationFactory.</summary>
public partial class Program;
