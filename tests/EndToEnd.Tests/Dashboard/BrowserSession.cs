using Microsoft.Playwright;

namespace Engagement.EndToEnd.Tests.Dashboard;

/// <summary>
/// A browser context of its own (cookies, session) with one page, which records every console error and uncaught
/// error: a Content-Security-Policy violation (a style or script the policy refuses) is reported as a console error.
/// Chromium also reports a page answered with an error status (the 401, 403 and 404 pages) as a resource that
/// failed to load; that one line, for that page's own address, is its status, which the tests check, not an error.
/// </summary>
internal sealed class BrowserSession : IAsyncDisposable
{
    private readonly List<(string Text, string Location)> _errors = [];
    private readonly List<(int Status, string Url)> _errorPages = [];

    public BrowserSession(IBrowserContext context, IPage page)
    {
        Context = context;
        Page = page;
        page.Response += (_, response) =>
        {
            if (response.Request.IsNavigationRequest && response.Frame == page.MainFrame && response.Status >= 400)
            {
                _errorPages.Add((response.Status, response.Url));
            }
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                _errors.Add((message.Text, message.Location));
            }
        };
        page.PageError += (_, error) => _errors.Add((error, page.Url));
    }

    public IBrowserContext Context { get; }

    public IPage Page { get; }

    /// <summary>Clicks and waits for the navigation it starts (waiting starts first, so a fast navigation is not missed).</summary>
    public async Task ClickAndWaitForUrlAsync(ILocator target, Func<string, bool> url)
    {
        var navigated = Page.WaitForURLAsync(url, new PageWaitForURLOptions { Timeout = 10_000 });
        await target.ClickAsync();
        try
        {
            await navigated;
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"No navigation to the expected address; still at {Page.Url}:\n{await Page.ContentAsync()}");
        }
    }

    /// <summary>Goes to a page of the app and checks its status.</summary>
    public async Task GotoAsync(string path, int status = 200)
    {
        var response = await Page.GotoAsync(path);
        Assert.True(response is not null && response.Status == status, $"GET {path}: {response?.Status} (expected {status})");
    }

    /// <summary>Every test ends with this: no page it opened wrote an error to the console.</summary>
    public void AssertNoConsoleErrors()
    {
        var errors = _errors.Where(e => !_errorPages.Any(p => e.Location.StartsWith(p.Url + ":", StringComparison.Ordinal)
            && e.Text.StartsWith($"Failed to load resource: the server responded with a status of {p.Status} ", StringComparison.Ordinal))).ToList();
        Assert.True(errors.Count == 0, "Console errors (a CSP violation is one):\n" + string.Join(Environment.NewLine, errors.Select(e => $"{e.Text} at {e.Location}")));
    }

    public async ValueTask DisposeAsync() => await Context.CloseAsync();
}
