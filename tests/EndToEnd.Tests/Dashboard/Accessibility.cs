using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Engagement.EndToEnd.Tests.Dashboard;

/// <summary>
/// axe-core run inside the page against the WCAG 2.0 and 2.1 A and AA rules. The pages' Content-Security-Policy has
/// no script source at all, yet axe runs: Playwright evaluates the script through the DevTools protocol, which the
/// page's policy does not govern, so the policy under test is the one the browser enforces (no BypassCSP).
/// </summary>
internal static class Accessibility
{
    private static readonly AxeRunOptions Wcag21AA = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
        ResultTypes = [ResultType.Violations],
    };

    /// <summary>Fails on any serious or critical violation, naming each with its help and the nodes it found; prints the others.</summary>
    public static async Task AssertNoSeriousViolationsAsync(IPage page, ITestOutputHelper output)
    {
        var result = await page.RunAxe(Wcag21AA);
        Assert.True(result.Passes.Length > 0, $"axe ran no rule on {page.Url}");
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        foreach (var minor in result.Violations.Except(serious))
        {
            output.WriteLine($"axe ({minor.Impact}, not failing) on {page.Url}: {Describe(minor)}");
        }

        Assert.True(serious.Count == 0, $"axe found {serious.Count} serious or critical violation(s) on {page.Url}:\n" + string.Join("\n", serious.Select(Describe)));
    }

    private static string Describe(AxeResultItem violation)
    {
        var text = new StringBuilder($"- {violation.Id} ({violation.Impact}): {violation.Help} <{violation.HelpUrl}>");
        foreach (var node in violation.Nodes)
        {
            text.Append($"\n    at {node.Target}: {node.Html}");
        }

        return text.ToString();
    }
}
