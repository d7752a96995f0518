using Engagement.Core.Domain;

namespace Engagement.Core.Tests.Domain;

public class WireNamesTests
{
    [Fact]
    public void FormatThenTryParse_EveryValueOfEveryEnum_RoundTrips()
    {
        AssertRoundTrips<PartnershipLanguage>();
        AssertRoundTrips<Sector>();
        AssertRoundTrips<RepresentationRole>();
        AssertRoundTrips<MeetingKind>();
        AssertRoundTrips<MeetingSource>();
        AssertRoundTrips<AttendanceStatus>();
        AssertRoundTrips<FormKind>();
        AssertRoundTrips<FormQuestionKind>();
    }

    [Fact]
    public void Values_EveryEnum_ListsOneDistinctWireValuePerMember()
    {
        Assert.Equal(Enum.GetValues<Sector>().Length, WireNames.Values<Sector>().Distinct().Count());
        Assert.Equal(Enum.GetValues<MeetingKind>().Length, WireNames.Values<MeetingKind>().Distinct().Count());
        Assert.Equal(Enum.GetValues<AttendanceStatus>().Length, WireNames.Values<AttendanceStatus>().Distinct().Count());
    }

    [Fact]
    public void Format_MultiWordMembers_UsesKebabCase()
    {
        Assert.Equal("health-social-services", WireNames.Format(Sector.HealthSocialServices));
        Assert.Equal("working-group", WireNames.Format(MeetingKind.WorkingGroup));
        Assert.Equal("in-person", WireNames.Format(MeetingSource.InPerson));
        Assert.Equal("follow-up", WireNames.Format(FormKind.FollowUp));
        Assert.Equal("fr", WireNames.Format(PartnershipLanguage.French));
    }

    [Theory]
    [InlineData("présente", AttendanceStatus.Present)]
    [InlineData("Présente", AttendanceStatus.Present)]
    [InlineData("PRESENT", AttendanceStatus.Present)]
    [InlineData(" oui ", AttendanceStatus.Present)]
    [InlineData("Absente", AttendanceStatus.Absent)]
    [InlineData("Excusée", AttendanceStatus.Excused)]
    [InlineData("excusé", AttendanceStatus.Excused)]
    [InlineData("Regrets", AttendanceStatus.Excused)]
    public void TryParse_FrenchAndAccentedAttendanceLabels_Parse(string text, AttendanceStatus expected)
    {
        Assert.True(WireNames.TryParse<AttendanceStatus>(text, out var status));
        Assert.Equal(expected, status);
    }

    [Theory]
    [InlineData("santé", Sector.HealthSocialServices)]
    [InlineData("Santé services sociaux", Sector.HealthSocialServices)]
    [InlineData("health_social_services", Sector.HealthSocialServices)]
    [InlineData("HealthSocialServices", Sector.HealthSocialServices)]
    [InlineData("Communautaire", Sector.Community)]
    [InlineData("École", Sector.School)]
    [InlineData("Municipalité", Sector.Municipal)]
    public void TryParse_FrenchAndAccentedSectorLabels_Parse(string text, Sector expected)
    {
        Assert.True(WireNames.TryParse<Sector>(text, out var sector));
        Assert.Equal(expected, sector);
    }

    [Theory]
    [InlineData("Assemblée générale", MeetingKind.GeneralAssembly)]
    [InlineData("sous-comité", MeetingKind.WorkingGroup)]
    [InlineData("Extraordinaire", MeetingKind.Special)]
    public void TryParse_FrenchMeetingKinds_Parse(string text, MeetingKind expected)
    {
        Assert.True(WireNames.TryParse<MeetingKind>(text, out var kind));
        Assert.Equal(expected, kind);
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("presentt")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void TryParse_UnknownOrBlank_ReturnsFalse(string? text)
    {
        Assert.False(WireNames.TryParse<AttendanceStatus>(text, out _));
    }

    [Fact]
    public void TryParse_ValueOfAnotherEnum_ReturnsFalse()
    {
        Assert.False(WireNames.TryParse<Sector>("present", out _));
        Assert.False(WireNames.TryParse<AttendanceStatus>("community", out _));
    }

    [Fact]
    public void Normalize_AccentsCaseSpacesAndUnderscores_AreFolded()
    {
        Assert.Equal("assemblee-generale", WireNames.Normalize("  Assemblée_Générale "));
    }

    private static void AssertRoundTrips<T>() where T : struct, Enum
    {
        foreach (var value in Enum.GetValues<T>())
        {
            var wire = WireNames.Format(value);
            Assert.True(WireNames.TryParse<T>(wire, out var parsed), $"{typeof(T).Name}.{value} as '{wire}' did not parse.");
            Assert.Equal(value, parsed);
            Assert.True(WireNames.TryParse<T>(value.ToString(), out var byName), $"{typeof(T).Name}.{value} by member name did not parse.");
            Assert.Equal(value, byName);
        }
    }
}
