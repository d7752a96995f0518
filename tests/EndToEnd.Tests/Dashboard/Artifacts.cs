using Microsoft.Playwright;

namespace Engagement.EndToEnd.Tests.Dashboard;

/// <summary>What the browser tests keep for a person to look at: full-page screenshots and the printed PDF, beside the test binaries.</summary>
internal static class Artifacts
{
    public static string Folder { get; } = Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "dashboard-screenshots")).FullName;

    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(Folder, name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 0, path);
        return path;
    }

    public static async Task<string> SaveAsync(string name, byte[] bytes)
    {
        var path = Path.Combine(Folder, name);
        await File.WriteAllBytesAsync(path, bytes);
        return path;
    }
}
