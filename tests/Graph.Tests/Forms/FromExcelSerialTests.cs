using Engagement.Graph.Forms;

namespace Engagement.Graph.Tests.Forms;

public class FromExcelSerialTests
{
    [Fact]
    public void FromExcelSerial_FormsTimestamp_RoundsToTheExactSecond()
    {
        // 0.6413194444 days is 15:23:29.99999616; the nearest millisecond is 15:23:30.000.
        var date = FormsWorkbookReader.FromExcelSerial(46095.6413194444);

        Assert.Equal(new DateTime(2026, 3, 14, 15, 23, 30), date);
        Assert.Equal(0, date.Millisecond);
        Assert.Equal(DateTimeKind.Unspecified, date.Kind);
    }

    [Fact]
    public void FromExcelSerial_Serial1_IsFirstOfJanuary1900()
    {
        Assert.Equal(new DateTime(1900, 1, 1), FormsWorkbookReader.FromExcelSerial(1));
        Assert.Equal(new DateTime(1900, 1, 1, 12, 0, 0), FormsWorkbookReader.FromExcelSerial(1.5));
    }

    [Theory]
    [InlineData(59, 1900, 2, 28)]
    [InlineData(60, 1900, 3, 1)] // Excel's fictitious 1900-02-29
    [InlineData(61, 1900, 3, 1)]
    [InlineData(62, 1900, 3, 2)]
    public void FromExcelSerial_AroundTheFakeLeapDay_SkipsFebruary29(double serial, int year, int month, int day)
    {
        Assert.Equal(new DateTime(year, month, day), FormsWorkbookReader.FromExcelSerial(serial));
    }

    [Theory]
    [InlineData(0.0004, 0)]
    [InlineData(0.0005, 1)]
    [InlineData(0.0006, 1)]
    [InlineData(0.4996, 500)]
    public void FromExcelSerial_FractionOfASecond_RoundsToNearestMillisecond(double seconds, int expectedMilliseconds)
    {
        var date = FormsWorkbookReader.FromExcelSerial(45000 + (seconds / 86_400));

        Assert.Equal(new DateTime(2023, 3, 15).AddMilliseconds(expectedMilliseconds), date);
    }

    [Fact]
    public void FromExcelSerial_FromSerial61_AgreesWithFromOADate()
    {
        // OLE automation dates use the same 1899-12-30 epoch and also round to the millisecond.
        var random = new Random(20260314);
        for (var i = 0; i < 10_000; i++)
        {
            var serial = 61 + (random.NextDouble() * 60_000);
            Assert.Equal(DateTime.FromOADate(serial), FormsWorkbookReader.FromExcelSerial(serial));
        }
    }

    [Fact]
    public void FromExcelSerial_LastExcelSecond_IsEndOf9999()
    {
        Assert.Equal(new DateTime(9999, 12, 31, 23, 59, 59), FormsWorkbookReader.FromExcelSerial(2_958_465 + (86_399d / 86_400)));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(-1)]
    [InlineData(-0.25)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(2_958_466)]
    public void FromExcelSerial_NaNNegativeOrAfter9999_Throws(double serial)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => FormsWorkbookReader.FromExcelSerial(serial));

        Assert.Equal("serial", error.ParamName);
    }
}
