using static Engagement.Functions.Tests.Participants.ParticipantScenario;

namespace Engagement.Functions.Tests.Participants;

/// <summary>The key of the participants' links: required outside Development, kept beside the data in Development.</summary>
public sealed class ParticipantSettingsTests
{
    [Theory]
    [InlineData("", "is required outside Development")]
    [InlineData("c2hvcnQ=", "32 bytes or more")]
    [InlineData("not base64!", "32 bytes or more")]
    public async Task OutsideDevelopment_AMissingOrBadSigningKey_StopsTheAppAtStart_NamingIt(string key, string expected)
    {
        await using var app = new EngagementApp(settings: new() { ["Participants:SigningKey"] = key });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());
        Assert.Contains("Participants:SigningKey", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(expected, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task InDevelopment_WithoutASigningKey_OneIsKeptBesideTheData_AndLinksKeepWorkingAcrossRuns()
    {
        var folder = Directory.CreateTempSubdirectory("engagement-dev-");
        try
        {
            var settings = new Dictionary<string, string> { ["Participants:SigningKey"] = "", ["Storage:Sqlite:Path"] = Path.Combine(folder.FullName, "engagement.db") };
            string link;
            await using (var app = new EngagementApp(settings: settings, environment: "Development"))
            {
                await app.SeedAsync();
                await AddMeetingAsync(app, Meeting, MeetingStart);
                link = await SignInLinkAsync(app);
            }

            var file = Path.Combine(folder.FullName, "participant-link-key");
            Assert.Equal(32, Convert.FromBase64String(File.ReadAllText(file).Trim()).Length);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }

            await using var again = new EngagementApp(settings: settings, environment: "Development");
            Assert.Equal(System.Net.HttpStatusCode.OK, (await Phone(again).GetAsync(link)).StatusCode);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            folder.Delete(recursive: true);
        }
    }
}
