using Engagement.Core.Domain;
using Engagement.Core.Privacy;
using Engagement.Core.Storage;

namespace Engagement.Core.Tests.Privacy;

public class RetentionPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 6, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Cutoff = RetentionPolicy.Cutoff(Now, 24);

    [Fact]
    public void Cutoff_SubtractsTheRetentionMonths()
    {
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 6, 0, 0, TimeSpan.Zero), Cutoff);
    }

    [Fact]
    public void PeopleToErase_OpenRepresentation_IsNeverErased()
    {
        var activity = Activity("marie", Cutoff.AddYears(-10)) with { HasOpenRepresentation = true, LastRepresentationEnd = new DateOnly(2010, 1, 1) };

        Assert.Null(RetentionPolicy.LastActivity(activity));
        Assert.Empty(RetentionPolicy.PeopleToErase([activity], Cutoff));
    }

    [Fact]
    public void PeopleToErase_ActivityExactlyAtCutoff_IsNotErased()
    {
        var recordAtCutoff = Activity("a", Cutoff);
        var attendedAtCutoff = Activity("b", Cutoff.AddYears(-1)) with { LastAttendedAt = Cutoff };
        var submittedAtCutoff = Activity("c", Cutoff.AddYears(-1)) with { LastSubmittedAt = Cutoff.ToOffset(TimeSpan.FromHours(-5)) };

        Assert.Empty(RetentionPolicy.PeopleToErase([recordAtCutoff, attendedAtCutoff, submittedAtCutoff], Cutoff));
    }

    [Fact]
    public void PeopleToErase_LatestActivityOneTickBeforeCutoff_IsErased()
    {
        var oldRecord = Activity("a", Cutoff.AddTicks(-1));
        var oldAttendance = Activity("b", Cutoff.AddYears(-1)) with { LastAttendedAt = Cutoff.AddTicks(-1), LastSubmittedAt = Cutoff.AddDays(-3) };

        Assert.Equal(["a", "b"], RetentionPolicy.PeopleToErase([oldRecord, oldAttendance], Cutoff));
    }

    [Fact]
    public void PeopleToErase_AnyRecentTrace_KeepsThePerson()
    {
        var recentAttendance = Activity("a", Cutoff.AddYears(-1)) with { LastAttendedAt = Cutoff.AddDays(1) };
        var recentSubmission = Activity("b", Cutoff.AddYears(-1)) with { LastSubmittedAt = Cutoff.AddDays(1) };
        var recentEnd = Activity("c", Cutoff.AddYears(-1)) with { LastRepresentationEnd = DateOnly.FromDateTime(Cutoff.UtcDateTime).AddDays(10) };

        Assert.Empty(RetentionPolicy.PeopleToErase([recentAttendance, recentSubmission, recentEnd], Cutoff));
    }

    [Fact]
    public void LastActivity_RepresentationEnd_CountsThroughItsWholeLastDay()
    {
        var activity = Activity("a", new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)) with { LastRepresentationEnd = new DateOnly(2024, 2, 29) };

        Assert.Equal(new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero), RetentionPolicy.LastActivity(activity));
    }

    [Fact]
    public void PeopleToErase_RepresentationEndedOnTheCutoffDay_IsNotErased()
    {
        // Cutoff is 2024-03-01T06:00Z: a representation that ended on 2024-03-01 lasted that whole day.
        var endedThatDay = Activity("a", Cutoff.AddYears(-1)) with { LastRepresentationEnd = new DateOnly(2024, 3, 1) };
        var endedTheDayBefore = Activity("b", Cutoff.AddYears(-1)) with { LastRepresentationEnd = new DateOnly(2024, 2, 29) };

        Assert.Equal(["b"], RetentionPolicy.PeopleToErase([endedThatDay, endedTheDayBefore], Cutoff));
    }

    [Fact]
    public void PeopleToErase_RepresentationEndExactlyAtMidnightCutoff_IsNotErased()
    {
        var cutoff = new DateTimeOffset(2024, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var endedDayBeforeCutoff = Activity("a", cutoff.AddYears(-1)) with { LastRepresentationEnd = new DateOnly(2024, 2, 29) };

        Assert.Empty(RetentionPolicy.PeopleToErase([endedDayBeforeCutoff], cutoff));
        Assert.Equal(["a"], RetentionPolicy.PeopleToErase([endedDayBeforeCutoff], cutoff.AddTicks(1)));
    }

    [Fact]
    public void PeopleToErase_AlreadyErased_IsSkipped()
    {
        var erased = new PersonActivity
        {
            Person = new Person { PartnershipId = "p", Id = "erased", ErasedAt = Cutoff.AddDays(-1) },
            RecordUpdatedAt = Cutoff.AddYears(-5),
        };
        var nameOnly = Activity("name-only", Cutoff.AddYears(-5)) with { Person = new Person { PartnershipId = "p", Id = "name-only", DisplayName = "Paul" } };
        var emailOnly = Activity("email-only", Cutoff.AddYears(-5)) with { Person = new Person { PartnershipId = "p", Id = "email-only", Email = "x@example.org" } };

        Assert.Equal(["name-only", "email-only"], RetentionPolicy.PeopleToErase([erased, nameOnly, emailOnly], Cutoff));
    }

    [Fact]
    public void LastActivity_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => RetentionPolicy.LastActivity(null!));
    }

    private static PersonActivity Activity(string id, DateTimeOffset recordUpdatedAt) => new()
    {
        Person = new Person { PartnershipId = "p", Id = id, DisplayName = "Nom " + id, Email = id + "@example.org" },
        RecordUpdatedAt = recordUpdatedAt,
    };
}
