using Engagement.Functions.Alerts;
using Engagement.Functions.Dashboard;
using Engagement.Functions.Exports;
using Engagement.Functions.Health;
using Engagement.Functions.Hosting;
using Engagement.Functions.Ingestion;
using Engagement.Functions.Integrations;
using Engagement.Functions.Partnerships;
using Engagement.Functions.Privacy;
using Engagement.Functions.Problems;
using Engagement.Functions.Risk;
using Engagement.Functions.Security;
using Engagement.Functions.Storage;

if (await Commands.TryRunAsync(args, Console.Out, Console.Error))
{
    return;
}

var builder = WebApplication.CreateBuilder(args);
builder.AddHosting();
builder.AddProblems();
builder.AddStorage();
builder.AddSecurity();
builder.AddIngestion();
builder.AddPrivacy();
builder.AddRisk();
builder.AddIntegrations();
builder.AddAlerts();
builder.AddExports();
builder.AddTimerFunctions();

var app = builder.Build();
app.UseProblems();
app.UseAuthentication();
app.UseAuthorization();
app.MapHosting();
app.MapHealth();
app.MapPartnerships();
app.MapIngestion();
app.MapRisk();
app.MapIntegrations();
app.MapAlerts();
app.MapExports();
app.MapOData();
app.MapDashboard();
app.MapTimerFunctions();
app.Run();

/// <summary>Entry point; public so tests can start the app with WebApplicationFactory.</summary>
public partial class Program;
