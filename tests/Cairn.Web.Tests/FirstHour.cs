using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cairn.Web.Tests;

/// <summary>
/// A freelancer's first hour (issue 12), following the README's "Your first hour" section word for
/// word on the published build started from another folder (SQLite): the start-up log, setup with
/// bank details, a client and its contact, a contract typed as people type amounts, activating it
/// after the confirmation, delivering the first milestone, the "milestone submitted" email the client's
/// contact receives (an .eml in <c>./data/mail</c>), the client following its link and approving, and the payment that settles the invoice. Every page on
/// the way is checked with axe-core and at 1280 and 375 px (no asset answering 4xx/5xx, no console
/// error, no clipped amount, no table wider than its frame).
/// </summary>
public sealed class Sqlite_FirstHourFromTheReadme(PublishedServer server, Chromium chromium) : IClassFixture<PublishedServer>, IClassFixture<Chromium>
{
    [Fact]
    public async Task A_freelancer_goes_from_the_published_build_to_a_paid_invoice_by_the_readme()
    {
        // 1. Start: the log says where the data, the database and the emails are.
        Assert.Contains($"Data folder: {server.DataDirectory}", server.Log);
        Assert.Contains($"Database: {Path.Combine(server.DataDirectory, "cairn.db")}", server.Log);
        Assert.Contains($"Mail: written as .eml files to {Path.Combine(server.DataDirectory, "mail")}", server.Log);

        // 2. Open the address: an empty database leads to setup, which asks how you get paid.
        var staff = await chromium.NewPageAsync(server);
        await staff.GotoAsync("/");
        await Expect(staff).ToHaveURLAsync(new Regex("/setup$"));
        await Chromium.AssertAccessibleAsync(staff, "setup");
        await staff.Locator("#name").FillAsync("Ada Lovelace Consulting");
        await staff.Locator("#address").FillAsync("12 Rue des Écoles\n75005 Paris");
        await staff.Locator("#taxId").FillAsync("FR40123456789");
        await staff.Locator("#org-party-Line1").FillAsync("12 Rue des Écoles");
        await staff.Locator("#org-party-City").FillAsync("Paris");
        await staff.Locator("#org-party-PostalCode").FillAsync("75005");
        await staff.Locator("#org-party-CountryCode").SelectOptionAsync("FR");
        await staff.Locator("#currency").FillAsync("EUR");
        await staff.Locator("#timeZone").FillAsync("Europe/Paris");
        await staff.Locator("#iban").FillAsync("FR76 3000 6000 0112 3456 7890 189");
        await staff.Locator("#bic").FillAsync("AGRIFRPP");
        await staff.Locator("#ownerName").FillAsync("Ada Lovelace");
        await staff.Locator("#ownerEmail").FillAsync(Steps.OwnerEmail);
        await staff.Locator("#password").FillAsync(Steps.OwnerPassword);
        await staff.Locator("#confirm").FillAsync(Steps.OwnerPassword);
        await staff.GetByRole(AriaRole.Button, new() { Name = "Create organization" }).ClickAsync();
        await Expect(staff.Locator("h1")).ToHaveTextAsync("Ada Lovelace Consulting");
        await Expect(staff.Locator("[data-warning=payment-details]")).ToHaveCountAsync(0);
        await Chromium.AssertAccessibleAsync(staff, "empty dashboard");

        // 3. Clients: the client and the contact who approves the work.
        await Steps.AddClientAsync(staff, "Globex", "Grace Hopper", "grace@globex.test");
        await Chromium.AssertAccessibleAsync(staff, "client");

        // 4. A contract from a template, the value typed with a grouping separator.
        await Steps.NewContractAsync(staff, "Globex", "Website 30/40/30", "Globex website", "12,000.00");
        await Expect(staff.Locator("#preview tbody tr").Nth(0).Locator("output")).ToHaveTextAsync("3,600.00 EUR");
        await Chromium.AssertAccessibleAsync(staff, "new contract");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Create draft contract" }).ClickAsync();
        await Expect(staff.Locator("h1")).ToHaveTextAsync("Globex website");
        await Chromium.AssertAccessibleAsync(staff, "draft contract");

        // 5. Activate, after the confirmation that says what activating does.
        await staff.GetByRole(AriaRole.Link, new() { Name = "Activate contract" }).ClickAsync();
        await Expect(staff.Locator("h1")).ToContainTextAsync("Activate Globex website");
        await Chromium.AssertAccessibleAsync(staff, "activation confirmation");
        await staff.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Activate contract") }).ClickAsync();
        await Expect(staff.Locator(".flash")).ToContainTextAsync("Contract activated");
        var contractPath = new Uri(staff.Url).AbsolutePath;

        // 6. Deliver the first milestone.
        await Steps.StartAndSubmitAsync(staff, 1, "Design approved", "Homepage and two inner page designs.", "https://files.example.test/globex/designs.pdf");
        await Chromium.AssertAccessibleAsync(staff, "contract with a submitted milestone");

        // 7. Submitting emailed the contact: an .eml file in ./data/mail of the folder the server runs in, with a
        //    plain-text and an HTML part, each saying what was delivered, the acceptance criteria, what approving
        //    invoices, and the contact's own portal link.
        var email = await Mailbox.WaitForAsync(Path.Combine(server.DataDirectory, "mail"), "grace@globex.test", "Ready for your review: Design approved (Globex website)");
        Assert.Equal("Ada Lovelace Consulting", email.From.Mailboxes.Single().Name);
        var link = Mailbox.LinkIn(email, "/portal/");
        Assert.StartsWith(server.BaseUrl + "/portal/", link, StringComparison.Ordinal);
        Assert.True(email.TextBody is not null && email.HtmlBody is not null, "the email lacks its plain-text or its HTML part");
        foreach (var part in new[] { email.TextBody, email.HtmlBody })
        {
            Assert.Contains("Ada Lovelace Consulting has delivered the milestone “Design approved” of “Globex website”", part, StringComparison.Ordinal);
            Assert.Contains("Homepage and two inner page designs.", part, StringComparison.Ordinal);
            Assert.Contains("https://files.example.test/globex/designs.pdf", part, StringComparison.Ordinal);
            Assert.Contains("Client signs off the homepage and two inner page designs.", part, StringComparison.Ordinal);
            Assert.Contains("Approving it issues an invoice of 4,320.00 EUR (3,600.00 EUR net plus 720.00 EUR tax).", part, StringComparison.Ordinal);
        }

        Assert.Contains($"href=\"{link}\"", email.HtmlBody, StringComparison.Ordinal);

        // 8. The client follows the email's link, reads what approving invoices, and approves.
        var client = await chromium.NewPageAsync(server, 390, 844);
        await client.GotoAsync(link);
        await Expect(client).ToHaveURLAsync(new Regex("/portal$"));
        await Chromium.AssertAccessibleAsync(client, "portal");
        await client.GetByRole(AriaRole.Link, new() { Name = "Globex website" }).ClickAsync();
        await Chromium.AssertAccessibleAsync(client, "portal contract");
        await Steps.Milestone(client, 1).GetByRole(AriaRole.Link, new() { Name = "Approve Design approved" }).ClickAsync();
        await Expect(client.Locator("[data-will-invoice] [data-gross]")).ToHaveTextAsync("4,320.00 EUR");
        await Chromium.AssertAccessibleAsync(client, "portal approval");
        await client.GetByRole(AriaRole.Button, new() { Name = "Approve and receive the invoice of 4,320.00 EUR" }).ClickAsync();
        await Expect(client.Locator(".flash")).ToContainTextAsync("the milestone is approved");

        // 9. The invoice (with the bank details from setup), and the payment that settles it.
        await staff.GotoAsync(contractPath);
        await Steps.Milestone(staff, 1).Locator("dd a[href^='/invoices/']").ClickAsync();
        await Expect(staff.Locator("[data-invoice-number]")).ToHaveTextAsync(Steps.InvoiceNumber());
        await Expect(staff.Locator("[data-total=gross]")).ToHaveTextAsync("4,320.00 EUR");
        await Chromium.AssertAccessibleAsync(staff, "invoice");
        await staff.GetByLabel("Reference").FillAsync("Globex transfer 0001");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Record payment" }).ClickAsync();
        await Expect(staff.Locator(".flash")).ToContainTextAsync("Payment recorded");
        await Expect(staff.Locator("[data-total=balance]")).ToHaveTextAsync("0.00 EUR");
        await Expect(staff.Locator(".badge-paid").First).ToBeVisibleAsync();
        await Chromium.AssertAccessibleAsync(staff, "paid invoice");

        // 10. The dashboard shows it billed and collected.
        await staff.GotoAsync("/");
        await Expect(staff.Locator("ul.cards[data-currency=EUR] [data-figure=collected]")).ToHaveTextAsync("4,320.00 EUR");
        await Chromium.AssertAccessibleAsync(staff, "dashboard");

        // The data stayed where the README says, not in the install folder.
        Assert.True(File.Exists(Path.Combine(server.DataDirectory, "cairn.db")), "no database in ./data of the folder the server started in");
        Assert.False(Directory.Exists(Path.Combine(server.InstallDirectory, "data")), "the published build wrote data into its own folder");
    }
}
