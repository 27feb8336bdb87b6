using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cairn.Web.Tests;

/// <summary>The steps people take in the web app, written once for every story.</summary>
public static partial class Steps
{
    public const string OwnerEmail = "ada@acme.test";
    public const string OwnerPassword = "correct horse battery staple";

    /// <summary>First run: the start page leads to setup, which creates the organization and signs the owner in.</summary>
    public static async Task SetUpAsync(IPage page, string organization = "Acme Studio")
    {
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/setup$"));
        await page.Locator("#name").FillAsync(organization);
        await page.Locator("#address").FillAsync("1 Rue de la Paix\n75002 Paris");
        await page.Locator("#taxId").FillAsync("FR40123456789");
        await page.Locator("#currency").FillAsync("EUR");
        await page.Locator("#ownerName").FillAsync("Ada Owner");
        await page.Locator("#ownerEmail").FillAsync(OwnerEmail);
        await page.Locator("#password").FillAsync(OwnerPassword);
        await page.Locator("#confirm").FillAsync(OwnerPassword);
        await Chromium.ScreenshotAsync(page, "setup");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create organization" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync(organization);
    }

    /// <summary>Adds a client with one contact; returns the client page's path.</summary>
    public static async Task<string> AddClientAsync(IPage page, string name, string contact, string email)
    {
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Clients" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Clients");
        await page.Locator("#name").FillAsync(name);
        await page.Locator("#email").FillAsync("accounts@" + name.ToLowerInvariant() + ".test");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add client" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync(name);
        await page.Locator("#contactName").FillAsync(contact);
        await page.Locator("#contactEmail").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Add contact" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToContainTextAsync($"Contact {contact} added");
        return new Uri(page.Url).AbsolutePath;
    }

    /// <summary>From the client page: a draft contract from a template, then the contract page.</summary>
    public static async Task NewContractAsync(IPage page, string client, string template, string title, string value)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = $"New contract for {client}" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("New contract");
        await page.Locator("#templateId").SelectOptionAsync(new SelectOptionValue { Label = template });
        await page.Locator("#title").FillAsync(title);
        await page.Locator("#value").FillAsync(value);
        await page.Locator("#taxRate").FillAsync("20");
    }

    /// <summary>Creates the draft from the filled form and activates it.</summary>
    public static async Task CreateAndActivateAsync(IPage page, string title)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = "Create draft contract" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync(title);
        await Expect(page.Locator(".flash")).ToContainTextAsync("Draft contract created");
        await page.GetByRole(AriaRole.Link, new() { Name = "Activate contract" }).ClickAsync();
        // The confirmation step shows what activating invoices before anything happens.
        await Expect(page.Locator("h1")).ToContainTextAsync("Activate " + title);
        await page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Activate contract") }).ClickAsync();
        await Expect(page.Locator(".flash")).ToContainTextAsync("Contract activated");
    }

    /// <summary>The plan entry of a milestone on the contract page or the portal.</summary>
    public static ILocator Milestone(IPage page, int position) => page.Locator($"article[data-milestone='{position}']");

    /// <summary>Starts work on a milestone and submits it with a note and one link.</summary>
    public static async Task StartAndSubmitAsync(IPage page, int position, string title, string note, string link)
    {
        await page.GetByRole(AriaRole.Button, new() { Name = $"Start work on {title}" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToContainTextAsync("Work started");
        await SubmitAsync(page, position, title, note, link);
    }

    /// <summary>Submits a milestone in progress for the client's approval.</summary>
    public static async Task SubmitAsync(IPage page, int position, string title, string note, string link)
    {
        var milestone = Milestone(page, position);
        await milestone.GetByText($"Submit {title} for approval").ClickAsync();
        await milestone.GetByLabel("What was delivered").FillAsync(note);
        await milestone.GetByLabel("Links to the deliverables, one per line").FillAsync(link);
        await milestone.GetByRole(AriaRole.Button, new() { Name = "Submit for approval" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToContainTextAsync("Submitted to the client");
        await Expect(Milestone(page, position).Locator("[data-work-status]")).ToHaveTextAsync("submitted");
    }

    /// <summary>From the client page, emails a contact their portal link; returns the link from the email.</summary>
    public static async Task<string> SendPortalLinkAsync(IPage page, ICairnServer server, string clientPath, string contact, string email)
    {
        await page.GotoAsync(clientPath);
        await page.GetByRole(AriaRole.Button, new() { Name = $"Send portal link to {contact}" }).ClickAsync();
        await Expect(page.Locator(".flash")).ToContainTextAsync($"Portal link emailed to {contact}");
        return server.LinkInLastMailTo(email, "/portal/");
    }

    [GeneratedRegex(@"^INV-\d{4}-\d{6}$")]
    public static partial Regex InvoiceNumber();
}
