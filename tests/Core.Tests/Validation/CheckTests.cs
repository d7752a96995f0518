using Engagement.Core.Domain;
using Engagement.Core.Validation;

namespace Engagement.Core.Tests.Validation;

public class CheckTests
{
    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\u0001b")]
    [InlineData("a\tb")]
    [InlineData("a\nb")]
    [InlineData("a\u007Fb")]
    [InlineData("a\u0085b")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData(" leading")]
    [InlineData("trailing ")]
    public void IsValidId_ForbiddenCharactersBlankOrPadded_ReturnsFalseWithReason(string? id)
    {
        Assert.False(Check.IsValidId(id, out var reason));
        Assert.NotEmpty(reason);
    }

    [Theory]
    [InlineData("table-hochelaga-é")]
    [InlineData("Table de quartier Côte-des-Neiges")]
    [InlineData("a")]
    [InlineData("2026-03-12.rencontre")]
    [InlineData("marie@example.org")]
    public void IsValidId_PlainAndUnicodeIds_ReturnsTrue(string id)
    {
        Assert.True(Check.IsValidId(id, out var reason));
        Assert.Empty(reason);
    }

    [Fact]
    public void IsValidId_LengthLimit_AcceptsMaxAndRejectsOneMore()
    {
        Assert.True(Check.IsValidId(new string('x', Check.MaxIdLength), out _));
        Assert.False(Check.IsValidId(new string('x', Check.MaxIdLength + 1), out var reason));
        Assert.Contains("128", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Id_Invalid_ReportsUnderFieldName()
    {
        var errors = new ValidationErrors();
        Check.Id("a/b", "records[2].meetingId", errors);
        Assert.True(errors.Contains("records[2].meetingId"));
    }

    [Theory]
    [InlineData("2026-03-12T23:00:00Z", "2026-03-12T23:00:00+00:00")]
    [InlineData("2026-03-12T19:00:00-04:00", "2026-03-12T19:00:00-04:00")]
    [InlineData("2026-03-12T19:00-04:00", "2026-03-12T19:00:00-04:00")]
    [InlineData("2026-03-13T01:00:00+01:00", "2026-03-13T01:00:00+01:00")]
    [InlineData("2026-03-12 19:00:00-04:00", "2026-03-12T19:00:00-04:00")]
    [InlineData("2026-03-12T19:00:00.125-04:00", "2026-03-12T19:00:00.125-04:00")]
    public void Timestamp_WithOffset_ParsesKeepingTheOffset(string text, string expected)
    {
        var errors = new ValidationErrors();
        var parsed = Check.Timestamp(text, "start", errors);
        Assert.True(errors.IsValid);
        var want = DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(want, parsed);
        Assert.Equal(want.Offset, parsed.Offset);
    }

    [Theory]
    [InlineData("2026-03-12T19:00:00")]
    [InlineData("2026-03-12T19:00")]
    [InlineData("2026-03-12 19:00:00")]
    public void Timestamp_WithoutOffset_IsRefusedNamingTheField(string text)
    {
        var errors = new ValidationErrors();
        Check.Timestamp(text, "[0].start", errors);
        var messages = Assert.Single(errors.ToDictionary(), e => e.Key == "[0].start").Value;
        Assert.Contains("offset", Assert.Single(messages), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("2026-02-15T19:00:00", "2026-02-15T19:00:00-05:00")]
    [InlineData("2026-07-15T19:00:00", "2026-07-15T19:00:00-04:00")]
    [InlineData("2026-03-08T01:30:00", "2026-03-08T01:30:00-05:00")]
    [InlineData("2026-03-08T03:00:00", "2026-03-08T03:00:00-04:00")]
    [InlineData("2026-11-01T12:00:00", "2026-11-01T12:00:00-05:00")]
    public void Timestamp_WithoutOffset_SuggestsMontrealsOffsetOnThatDate(string text, string suggested)
    {
        // Issue 15, item 14: 15 February suggested -04:00, which Montréal only has in summer.
        var errors = new ValidationErrors();
        Check.Timestamp(text, "start", errors);

        var message = Assert.Single(errors.ToDictionary()["start"]);
        Assert.Contains($"e.g. {suggested} (Montréal on that date)", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("12/03/2026 19:00")]
    [InlineData("tomorrow")]
    [InlineData("2026-13-12T19:00:00Z")]
    [InlineData("")]
    [InlineData(null)]
    public void Timestamp_NotIsoOrBlank_IsRefusedNamingTheField(string? text)
    {
        var errors = new ValidationErrors();
        Check.Timestamp(text, "end", errors);
        Assert.True(errors.Contains("end"));
    }

    [Fact]
    public void Date_IsoDate_Parses()
    {
        var errors = new ValidationErrors();
        Assert.Equal(new DateOnly(2026, 2, 28), Check.Date("2026-02-28", "from", errors, required: true));
        Assert.True(errors.IsValid);
    }

    [Theory]
    [InlineData("2026-02-30")]
    [InlineData("28/02/2026")]
    [InlineData("2026-02-28T00:00:00Z")]
    public void Date_NotADate_IsRefusedNamingTheField(string text)
    {
        var errors = new ValidationErrors();
        Assert.Null(Check.Date(text, "[1].from", errors, required: false));
        Assert.True(errors.Contains("[1].from"));
    }

    [Fact]
    public void Date_BlankRequired_IsRefusedButBlankOptionalIsNull()
    {
        var errors = new ValidationErrors();
        Assert.Null(Check.Date(" ", "to", errors, required: false));
        Assert.True(errors.IsValid);
        Assert.Null(Check.Date(null, "from", errors, required: true));
        Assert.True(errors.Contains("from"));
    }

    [Fact]
    public void OptionalEmail_MixedCase_IsLowerCasedAndTrimmed()
    {
        var errors = new ValidationErrors();
        Assert.Equal("marie.tremblay@example.org", Check.OptionalEmail("  Marie.Tremblay@Example.ORG ", "email", errors));
        Assert.True(errors.IsValid);
    }

    [Fact]
    public void OptionalEmail_Blank_IsNullWithoutError()
    {
        var errors = new ValidationErrors();
        Assert.Null(Check.OptionalEmail("  ", "email", errors));
        Assert.True(errors.IsValid);
    }

    [Theory]
    [InlineData("a@b")]
    [InlineData("not-an-address")]
    [InlineData("a@example.org\r\nBcc: victim@example.org")]
    [InlineData("a@example.org\nb@example.org")]
    [InlineData("Marie <marie@example.org>")]
    [InlineData("\"Marie\" <marie@example.org>")]
    [InlineData("<marie@example.org>")]
    [InlineData("marie@example.org, paul@example.org")]
    [InlineData("marie@example.org;paul@example.org")]
    public void OptionalEmail_InvalidInjectedOrDisplayNameForm_IsRefusedNamingTheField(string text)
    {
        var errors = new ValidationErrors();
        Assert.Null(Check.OptionalEmail(text, "[3].email", errors));
        Assert.True(errors.Contains("[3].email"));
    }

    [Fact]
    public void OptionalText_LineBreakOrTooLong_IsRefused()
    {
        var errors = new ValidationErrors();
        Check.OptionalText("a\nb", "title", errors);
        Check.OptionalText(new string('x', Check.MaxTextLength + 1), "name", errors);
        Assert.True(errors.Contains("title"));
        Assert.True(errors.Contains("name"));
    }

    [Fact]
    public void Enum_UnknownValue_ListsTheWireValues()
    {
        var errors = new ValidationErrors();
        Check.Enum<AttendanceStatus>("maybe", "status", errors);
        var message = Assert.Single(errors.ToDictionary()["status"]);
        Assert.Contains("present, absent, excused", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Enum_BlankWithDefault_ReturnsDefault()
    {
        var errors = new ValidationErrors();
        Assert.Equal(Sector.Other, Check.Enum(" ", "sector", errors, Sector.Other));
        Assert.True(errors.IsValid);
    }

    [Fact]
    public void Shorten_LongValueWithControlCharacters_IsCutAndCleaned()
    {
        var shortened = Check.Shorten("a\u0000" + new string('x', 100));
        Assert.Equal(41, shortened.Length);
        Assert.StartsWith("a?", shortened, StringComparison.Ordinal);
        Assert.EndsWith("…", shortened, StringComparison.Ordinal);
    }
}
