using System.Text.Json;
using Microsoft.Playwright;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Cairn.Web.Tests;

/// <summary>
/// Debian's Chromium driven by Playwright, headless. Playwright never downloads a browser here:
/// the executable is <c>$CAIRN_CHROMIUM_PATH</c> (./test.sh sets it) or <c>/usr/bin/chromium</c>,
/// and each browser gets a fresh temporary profile (its own --user-data-dir).
/// </summary>
public sealed class Chromium : IAsyncLifetime
{
    private IPlaywright? _playwright;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the screenshots of every main page go (under bin/, ignored by git).</summary>
    public static string ScreenshotDirectory { get; } = Environment.GetEnvironmentVariable("CAIRN_SCREENSHOTS_DIR") is { Length: > 0 } dir
        ? dir
        : Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");

        // Generous waits for a busy machine (./test.sh runs the other test projects at the same time); a passing wait returns at once.
        Assertions.SetDefaultExpectTimeout(20_000);
        var path = Environment.GetEnvironmentVariable("CAIRN_CHROMIUM_PATH") is { Length: > 0 } p ? p : "/usr/bin/chromium";
        Assert.True(File.Exists(path), $"Chromium not found at {path}: install it with `apt-get install -y chromium` (./test.sh does) or set CAIRN_CHROMIUM_PATH.");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
            await Browser.CloseAsync();
        _playwright?.Dispose();
    }

    /// <summary>A new browser window with its own cookies (one per person in a story).</summary>
    public async Task<IPage> NewPageAsync(ICairnServer server, int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.BaseUrl,
            AcceptDownloads = true,
            ViewportSize = new ViewportSize { Width = width, Height = height },
            Locale = "en-GB",
        });
        context.SetDefaultTimeout(30_000);
        var page = await context.NewPageAsync();
        await page.RouteAsync("**" + AxeUrl, route => route.FulfillAsync(new RouteFulfillOptions { Path = Path.Combine(AppContext.BaseDirectory, "axe", "axe.min.js"), ContentType = "text/javascript" }));
        var violations = CspViolations.GetOrCreateValue(page);
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal))
                violations.Add($"{page.Url}: {message.Text}");
        };

        // Every asset a page loads must answer (a 4xx form re-render is the page itself, not an asset),
        // and no script may log an error; AssertLaidOutAsync reports what was seen.
        var problems = Problems.GetOrCreateValue(page);
        page.Response += (_, response) =>
        {
            if (response.Status >= 400 && response.Request.ResourceType != "document")
                problems.Add($"{response.Status} {response.Request.ResourceType} {response.Url}");
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error" && !message.Text.StartsWith("Failed to load resource", StringComparison.Ordinal))
                problems.Add("console error: " + message.Text);
        };
        return page;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IPage, List<string>> Problems = new();

    /// <summary>
    /// Checks the page at 1280 px and at 375 px: no amount, figure, percentage or document number clipped or
    /// wrapped, no table wider than its frame, no asset answering 4xx/5xx and no console error so far.
    /// </summary>
    public static async Task AssertLaidOutAsync(IPage page, string name)
    {
        var size = page.ViewportSize!;
        var found = new List<string>();
        foreach (var width in new[] { 1280, 375 })
        {
            await page.SetViewportSizeAsync(width, 900);
            var bad = await page.EvaluateAsync<string[]>(
                """
                () => {
                  const out = [];
                  const describe = e => `${e.tagName.toLowerCase()}${e.className ? '.' + e.className : ''} "${e.textContent.trim().slice(0, 40)}"`;
                  for (const e of document.querySelectorAll('td.num, th.num, .card .value, .doc-number, [data-figure], output, .progress label .muted')) {
                    if (e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).display !== 'inline') out.push('clipped ' + describe(e));
                    const range = document.createRange();
                    range.selectNodeContents(e);
                    const lines = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.bottom))).size;
                    if (e.textContent.trim() && !e.querySelector('*') && lines > 1) out.push('wrapped ' + describe(e));
                  }
                  for (const w of document.querySelectorAll('.table-wrap')) {
                    if (w.scrollWidth > w.clientWidth + 1) out.push('table wider than its frame: ' + describe(w.querySelector('table') || w));
                  }
                  if (document.scrollingElement.scrollWidth > window.innerWidth + 1) out.push('page wider than the window');
                  return out;
                }
                """);
            found.AddRange(bad.Select(b => $"{width}px: {b}"));
        }

        await page.SetViewportSizeAsync(size.Width, size.Height);
        if (Problems.TryGetValue(page, out var problems))
            found.AddRange(problems);
        Assert.True(found.Count == 0, $"the {name} page:\n" + string.Join("\n", found));
    }

    /// <summary>Where a page fetches axe-core from: the test answers it, the server never sees it.</summary>
    private const string AxeUrl = "/__tests/axe.min.js";

    /// <summary>The Content-Security-Policy violations each page reported in its console (Chromium logs every refused script or style).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IPage, System.Collections.Concurrent.ConcurrentBag<string>> CspViolations = new();

    /// <summary>Saves a full-page screenshot of what the page shows now.</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });

    /// <summary>Saves what fits in the window, for the README (docs/dashboard.png and docs/portal.png are copies).</summary>
    public static Task WindowScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + "-window.png"), FullPage = false });

    /// <summary>
    /// Fails if the page (or any page this window showed before) broke its Content-Security-Policy, then runs
    /// axe-core on it and fails on any serious or critical violation, listing them; then checks its layout (<see cref="AssertLaidOutAsync"/>).
    /// </summary>
    public static async Task AssertAccessibleAsync(IPage page, string name)
    {
        Assert.True(CspViolations.TryGetValue(page, out var refused) is false || refused.IsEmpty, $"Content-Security-Policy violations up to the {name} page:\n" + string.Join("\n", refused ?? []));

        // Loaded as a same-origin script (answered by the test, see NewPageAsync), which the page's CSP allows; an inline one is refused, as it should be.
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Url = AxeUrl });
        var violations = await page.EvaluateAsync<JsonElement>(
            """
            async () => {
              const result = await axe.run(document, { resultTypes: ['violations'] });
              return result.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' ')) }));
            }
            """);
        var bad = violations.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => $"{v.GetProperty("impact").GetString()} {v.GetProperty("id").GetString()}: {v.GetProperty("help").GetString()} at {string.Join(" | ", v.GetProperty("nodes").EnumerateArray().Select(n => n.GetString()))}")
            .ToList();
        Assert.True(bad.Count == 0, $"axe-core found on the {name} page:\n" + string.Join("\n", bad));
        await AssertLaidOutAsync(page, name);
    }
}
