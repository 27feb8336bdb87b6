using System.Text.RegularExpressions;
using Microsoft.Playwright;
using UglyToad.PdfPig;
using static Microsoft.Playwright.Assertions;

namespace Cairn.Web.Tests;

/// <summary>
/// The whole story in a real browser against the real server (SQLite): first-run setup, a
/// client, a 30/40/30 contract, the client approving delivered work through the portal, the
/// invoice and its PDF, a payment, and the dashboard. Every main page is checked with axe-core
/// and saved as a screenshot.
/// </summary>
public sealed class Sqlite_FromSetupToPaidMilestone(WebServer server, Chromium chromium) : IClassFixture<WebServer>, IClassFixture<Chromium>
{
    [Fact]
    public async Task A_client_approves_delivered_work_in_the_portal_and_finance_sees_it_billed_and_collected()
    {
        var staff = await chromium.NewPageAsync(server);
        await Steps.SetUpAsync(staff);

        var clientPath = await Steps.AddClientAsync(staff, "Globex", "Grace Hopper", "grace@globex.test");
        await Chromium.ScreenshotAsync(staff, "client");

        // The form shows how the percentages become amounts that add up exactly: 10,000.01 split 30/40/30.
        await Steps.NewContractAsync(staff, "Globex", "Website 30/40/30", "Globex website", "10000.01");
        var preview = staff.Locator("#preview tbody tr");
        await Expect(preview.Nth(0).Locator("output")).ToHaveTextAsync("3,000.00 EUR");
        await Expect(preview.Nth(1).Locator("output")).ToHaveTextAsync("4,000.01 EUR");
        await Expect(preview.Nth(2).Locator("output")).ToHaveTextAsync("3,000.00 EUR");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Preview amounts" }).ClickAsync();
        await Expect(staff.Locator("#preview-total")).ToHaveTextAsync("10,000.01 EUR");
        await Expect(staff.Locator("#preview tbody tr").Nth(1).Locator("output")).ToHaveTextAsync("4,000.01 EUR");
        await Chromium.ScreenshotAsync(staff, "new-contract");

        // A value that could mean two amounts (twelve, or twelve thousand) is refused next to its field, and the form keeps what was typed.
        await staff.Locator("#value").FillAsync("12.000");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Create draft contract" }).ClickAsync();
        await Expect(staff.Locator("#value-error")).ToBeVisibleAsync();
        await Expect(staff.Locator("#value")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(staff.Locator("#value")).ToHaveValueAsync("12.000");
        await Expect(staff.Locator("#title")).ToHaveValueAsync("Globex website");
        await staff.Locator("#value").FillAsync("12000.00");
        await Steps.CreateAndActivateAsync(staff, "Globex website");
        await Expect(Steps.Milestone(staff, 1)).ToContainTextAsync("3,600.00 EUR");

        await Steps.StartAndSubmitAsync(staff, 1, "Design approved", "Homepage and two inner page designs, with the style guide.", "https://files.acme.test/globex/designs-v1.pdf");
        var contractPath = new Uri(staff.Url).AbsolutePath;

        // The client opens the emailed link in their own browser, reads what was delivered and approves.
        var link = await Steps.SendPortalLinkAsync(staff, server, clientPath, "Grace Hopper", "grace@globex.test");
        var client = await chromium.NewPageAsync(server, 390, 844);
        await client.GotoAsync(link);
        await Expect(client).ToHaveURLAsync(new Regex("/portal$"));
        await Expect(client.Locator("h1")).ToHaveTextAsync("Globex");
        await Chromium.AssertAccessibleAsync(client, "portal");
        await client.GetByRole(AriaRole.Link, new() { Name = "Globex website" }).ClickAsync();
        var first = Steps.Milestone(client, 1);
        await Expect(first.Locator("[data-acceptance]")).ToHaveTextAsync("Client signs off the homepage and two inner page designs.");
        await Expect(first.Locator("[data-deliverable-note]")).ToHaveTextAsync("Homepage and two inner page designs, with the style guide.");
        await Expect(first.Locator("[data-deliverable-link]")).ToHaveAttributeAsync("href", "https://files.acme.test/globex/designs-v1.pdf");
        await Chromium.AssertAccessibleAsync(client, "portal contract");
        await Chromium.ScreenshotAsync(client, "portal-contract");
        await first.GetByRole(AriaRole.Link, new() { Name = "Approve Design approved" }).ClickAsync();
        await Expect(client.Locator("[data-will-invoice] [data-gross]")).ToHaveTextAsync("4,320.00 EUR");
        await Chromium.AssertAccessibleAsync(client, "portal approval");
        await client.GetByRole(AriaRole.Button, new() { Name = "Approve and receive the invoice of 4,320.00 EUR" }).ClickAsync();
        await Expect(client.Locator(".flash")).ToContainTextAsync("the milestone is approved");
        await Expect(Steps.Milestone(client, 1).Locator("[data-work-status]")).ToHaveTextAsync("approved");

        // Approval issued the invoice: the client sees its number and downloads its PDF.
        await client.GetByRole(AriaRole.Link, new() { Name = "All contracts and invoices" }).ClickAsync();
        var pdfLink = client.Locator("[data-invoices]").GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Download invoice INV-") });
        await Expect(pdfLink).ToHaveCountAsync(1);
        var number = (await pdfLink.GetAttributeAsync("aria-label"))!.Replace("Download invoice ", "", StringComparison.Ordinal).Replace(" as PDF", "", StringComparison.Ordinal);
        Assert.Matches(Steps.InvoiceNumber(), number);
        await Expect(client.Locator("[data-balance-due=EUR]")).ToHaveTextAsync("4,320.00 EUR");
        await Chromium.AssertAccessibleAsync(client, "portal with invoice");
        await Chromium.ScreenshotAsync(client, "portal");
        await Chromium.WindowScreenshotAsync(client, "portal");
        var portalPdf = await DownloadAsync(client, pdfLink);
        Assert.Contains(number, portalPdf);

        // The owner invites a finance colleague, who accepts the emailed invitation in their own browser.
        await staff.GotoAsync("/settings");
        await staff.Locator("#invite-email").FillAsync("fred@acme.test");
        await staff.Locator("#invite-role").SelectOptionAsync(new SelectOptionValue { Label = "finance" });
        await staff.GetByRole(AriaRole.Button, new() { Name = "Send invitation" }).ClickAsync();
        await Expect(staff.Locator(".flash")).ToContainTextAsync("Invitation emailed to fred@acme.test");
        var finance = await chromium.NewPageAsync(server);
        await finance.GotoAsync(server.LinkInLastMailTo("fred@acme.test", "/invite/"));
        await finance.Locator("#displayName").FillAsync("Fred Finance");
        await finance.Locator("#password").FillAsync("ledger balanced 2026");
        await finance.Locator("#confirm").FillAsync("ledger balanced 2026");
        await finance.GetByRole(AriaRole.Button, new() { Name = "Save and sign in" }).ClickAsync();
        await Expect(finance.Locator(".who")).ToHaveTextAsync("Fred Finance");

        // Finance sees no contract actions (their role has none), finds the invoice, downloads it and records the payment.
        await finance.GotoAsync(contractPath);
        await Expect(finance.Locator("h1")).ToHaveTextAsync("Globex website");
        await Expect(finance.GetByRole(AriaRole.Link, new() { Name = "Cancel contract" })).ToHaveCountAsync(0);
        await finance.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Invoices" }).ClickAsync();
        await Chromium.ScreenshotAsync(finance, "invoices");
        await finance.GetByRole(AriaRole.Link, new() { Name = number, Exact = true }).ClickAsync();
        await Expect(finance.Locator("[data-invoice-number]")).ToHaveTextAsync(number);
        await Expect(finance.Locator("[data-total=net]")).ToHaveTextAsync("3,600.00 EUR");
        await Expect(finance.Locator("[data-total=gross]")).ToHaveTextAsync("4,320.00 EUR");
        var financePdf = await DownloadAsync(finance, finance.GetByRole(AriaRole.Link, new() { Name = "Download PDF" }));
        Assert.Contains(number, financePdf);
        Assert.Contains("4,320.00", financePdf, StringComparison.Ordinal);
        await Chromium.AssertAccessibleAsync(finance, "invoice");
        await Expect(finance.GetByLabel("Amount received (EUR)")).ToHaveValueAsync("4320.00");
        await finance.GetByLabel("Reference").FillAsync("Globex transfer 0042");
        await finance.GetByRole(AriaRole.Button, new() { Name = "Record payment" }).ClickAsync();
        await Expect(finance.Locator(".flash")).ToContainTextAsync("Payment recorded");
        await Expect(finance.Locator("[data-total=balance]")).ToHaveTextAsync("0.00 EUR");
        await Expect(finance.Locator("[data-total=paid]")).ToHaveTextAsync("4,320.00 EUR");
        await Chromium.ScreenshotAsync(finance, "invoice");
        await finance.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(finance.Locator("h1")).ToHaveTextAsync("Sign in");
        await Chromium.AssertAccessibleAsync(finance, "sign-in");
        await Chromium.ScreenshotAsync(finance, "signin");

        // The contract shows it delivered, billed and paid; the dashboard shows it billed and collected.
        await staff.GotoAsync(contractPath);
        await Expect(Steps.Milestone(staff, 1).Locator("[data-billing-status]")).ToHaveTextAsync("paid");
        await Expect(staff.Locator("#progress-billed")).ToHaveAttributeAsync("value", "30");
        await Expect(staff.Locator("#progress-collected")).ToHaveAttributeAsync("value", "100");
        await Expect(staff.Locator("[data-figures] [data-figure=collected]")).ToHaveTextAsync("4,320.00 EUR");
        await Chromium.AssertAccessibleAsync(staff, "contract");
        await Chromium.ScreenshotAsync(staff, "contract");
        await staff.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        var euro = staff.Locator("ul.cards[data-currency=EUR]");
        await Expect(euro.Locator("[data-figure=billed]")).ToHaveTextAsync("4,320.00 EUR");
        await Expect(euro.Locator("[data-figure=collected]")).ToHaveTextAsync("4,320.00 EUR");
        await Expect(euro.Locator("[data-figure=outstanding]")).ToHaveTextAsync("0.00 EUR");
        await Expect(staff.Locator("svg.chart rect.bar.s1")).Not.ToHaveCountAsync(0);
        await Chromium.AssertAccessibleAsync(staff, "dashboard");
        await Chromium.ScreenshotAsync(staff, "dashboard");
        await staff.SetViewportSizeAsync(1100, 760);
        await Chromium.WindowScreenshotAsync(staff, "dashboard");

        foreach (var (name, path) in new[] { ("contracts", "/contracts"), ("clients", "/clients"), ("aging", "/aging"), ("settings", "/settings"), ("reminders", "/settings/reminders"), ("templates", "/templates") })
        {
            await staff.GotoAsync(path);
            await Chromium.AssertAccessibleAsync(staff, name);
            await Chromium.ScreenshotAsync(staff, name);
        }
    }

    // Downloads what a link serves and returns the text of the PDF.
    private static async Task<string> DownloadAsync(IPage page, ILocator link)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => link.ClickAsync());
        var file = Path.Combine(Path.GetTempPath(), "cairn-web-tests", Guid.NewGuid().ToString("N") + ".pdf");
        await download.SaveAsAsync(file);
        try
        {
            using var pdf = PdfDocument.Open(file);
            return string.Join("\n", pdf.GetPages().Select(p => p.Text));
        }
        finally
        {
            File.Delete(file);
        }
    }
}

/// <summary>The client asks for changes, then disputes the resubmitted work; the staff side sees both and resolves the dispute.</summary>
public sealed class Sqlite_ClientRequestsChangesThenDisputes(WebServer server, Chromium chromium) : IClassFixture<WebServer>, IClassFixture<Chromium>
{
    [Fact]
    public async Task Staff_see_the_request_for_changes_and_then_the_dispute_and_resolve_it()
    {
        var staff = await chromium.NewPageAsync(server);
        await Steps.SetUpAsync(staff, "Initech Design");
        var clientPath = await Steps.AddClientAsync(staff, "Umbrella", "Alice Abernathy", "alice@umbrella.test");
        await Steps.NewContractAsync(staff, "Umbrella", "Design 30/30/40", "Umbrella rebrand", "9000.00");
        await Steps.CreateAndActivateAsync(staff, "Umbrella rebrand");
        await Steps.StartAndSubmitAsync(staff, 1, "Concepts", "Three concept directions.", "https://files.initech.test/umbrella/concepts.pdf");
        var contractPath = new Uri(staff.Url).AbsolutePath;
        var link = await Steps.SendPortalLinkAsync(staff, server, clientPath, "Alice Abernathy", "alice@umbrella.test");

        var client = await chromium.NewPageAsync(server, 390, 844);
        await client.GotoAsync(link);
        await client.GetByRole(AriaRole.Link, new() { Name = "Umbrella rebrand" }).ClickAsync();
        var concepts = Steps.Milestone(client, 1);
        await concepts.GetByText("Request changes").ClickAsync();

        // A request without a reason is refused next to the field, and changes nothing.
        await concepts.GetByRole(AriaRole.Button, new() { Name = "Send request for changes" }).EvaluateAsync("b => b.form.noValidate = true");
        await concepts.GetByRole(AriaRole.Button, new() { Name = "Send request for changes" }).ClickAsync();
        await Expect(Steps.Milestone(client, 1).Locator(".field-error")).ToBeVisibleAsync();
        await Expect(Steps.Milestone(client, 1).Locator("[data-work-status]")).ToHaveTextAsync("submitted");

        await Steps.Milestone(client, 1).GetByLabel("What needs to change").FillAsync("Please use our red, not orange.");
        await Steps.Milestone(client, 1).GetByRole(AriaRole.Button, new() { Name = "Send request for changes" }).ClickAsync();
        await Expect(client.Locator(".flash")).ToContainTextAsync("request for changes was sent");
        await Expect(Steps.Milestone(client, 1).Locator("[data-work-status]")).ToHaveTextAsync("in progress");

        // Staff see the request and its reason, rework and submit again.
        await staff.GotoAsync(contractPath);
        var plan = Steps.Milestone(staff, 1);
        await Expect(plan.Locator("[data-work-status]")).ToHaveTextAsync("in progress");
        await plan.GetByText("History of Concepts").ClickAsync();
        await Expect(plan).ToContainTextAsync("changes requested by Alice Abernathy (client)");
        await Expect(plan).ToContainTextAsync("Please use our red, not orange.");
        await Steps.SubmitAsync(staff, 1, "Concepts", "Three concept directions, in red.", "https://files.initech.test/umbrella/concepts-v2.pdf");

        // The client disputes the resubmitted work.
        await client.ReloadAsync();
        var resubmitted = Steps.Milestone(client, 1);
        await Expect(resubmitted.Locator("[data-deliverable-note]")).ToHaveTextAsync("Three concept directions, in red.");
        await resubmitted.GetByText("Dispute this milestone").ClickAsync();
        await resubmitted.GetByLabel("Why you dispute it").FillAsync("Only two directions were delivered, not three.");
        await resubmitted.GetByRole(AriaRole.Button, new() { Name = "Open a dispute" }).ClickAsync();
        await Expect(client.Locator(".flash")).ToContainTextAsync("dispute was recorded");
        await Expect(Steps.Milestone(client, 1).Locator("[data-work-status]")).ToHaveTextAsync("disputed");
        await Chromium.AssertAccessibleAsync(client, "portal contract with a dispute");

        // Staff see the dispute on the milestone and in the contract's disputes.
        await staff.ReloadAsync();
        await Expect(Steps.Milestone(staff, 1).Locator("[data-work-status]")).ToHaveTextAsync("disputed");
        await Expect(Steps.Milestone(staff, 1)).ToContainTextAsync("Only two directions were delivered, not three.");
        var dispute = staff.Locator("[data-dispute]");
        await Expect(dispute).ToHaveCountAsync(1);
        await Expect(dispute).ToContainTextAsync("open");
        await Expect(dispute).ToContainTextAsync("Reason: Only two directions were delivered, not three.");
        await Chromium.AssertAccessibleAsync(staff, "contract with a dispute");
        await Chromium.ScreenshotAsync(staff, "contract-disputed");

        // Staff resolve it: the work goes back for rework, and both sides see the dispute resolved.
        await dispute.GetByLabel("Outcome").SelectOptionAsync("rework");
        await dispute.GetByLabel("Note").FillAsync("Agreed: a third direction follows.");
        await dispute.GetByRole(AriaRole.Button, new() { Name = "Resolve dispute" }).ClickAsync();
        await Expect(staff.Locator(".flash")).ToContainTextAsync("Dispute resolved");
        await Expect(staff.Locator("[data-dispute]")).ToContainTextAsync("resolved");
        await Expect(staff.Locator("[data-dispute]")).ToContainTextAsync("rework — Agreed: a third direction follows.");
        await Expect(Steps.Milestone(staff, 1).Locator("[data-work-status]")).ToHaveTextAsync("in progress");
        await client.ReloadAsync();
        await Expect(Steps.Milestone(client, 1).Locator("[data-work-status]")).ToHaveTextAsync("in progress");
    }
}

/// <summary>
/// An active contract is amended by a change order drafted and proposed by staff and approved by
/// the client in the portal; a bounced payment is reversed; a template is copied and edited; and
/// the staff tables fit a phone's width.
/// </summary>
public sealed class Sqlite_ChangeOrderReversalAndPhoneWidth(WebServer server, Chromium chromium) : IClassFixture<WebServer>, IClassFixture<Chromium>
{
    [Fact]
    public async Task A_change_order_updates_the_contract_total_a_payment_is_reversed_and_tables_fit_a_phone()
    {
        var staff = await chromium.NewPageAsync(server);
        await Steps.SetUpAsync(staff, "Hooli Works");
        var clientPath = await Steps.AddClientAsync(staff, "Raviga", "Monica Hall", "monica@raviga.test");
        await Steps.NewContractAsync(staff, "Raviga", "Website 30/40/30", "Pied Piper site", "10000.00");
        await Steps.CreateAndActivateAsync(staff, "Pied Piper site");
        await Steps.StartAndSubmitAsync(staff, 1, "Design approved", "Designs.", "https://files.hooli.test/pp/designs.pdf");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Approve Design approved on the client's behalf" }).ClickAsync();
        await Expect(Steps.Milestone(staff, 1).Locator("[data-billing-status]")).ToHaveTextAsync("invoiced");
        var contractPath = new Uri(staff.Url).AbsolutePath;

        // A change order: Launch costs more and moves, and a landing page is added. A row without a title is refused next to it, keeping what was typed.
        await staff.GetByText("Draft a change order").ClickAsync();
        await staff.Locator("#co-title").FillAsync("Launch with a landing page");
        await staff.Locator("#co-reason").FillAsync("The client asked for a campaign landing page.");
        var launch = staff.Locator("fieldset[data-change-row='3']");
        await launch.GetByLabel("What happens to it").SelectOptionAsync("change");
        await launch.GetByLabel("New amount (EUR)").FillAsync("3500.00");
        await launch.GetByLabel("New due date").FillAsync("2026-09-30");
        await staff.Locator("#co-add-amount-0").FillAsync("500.00");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Draft change order" }).ClickAsync();
        await Expect(staff.Locator("#co-add-title-0-error")).ToBeVisibleAsync();
        await Expect(staff.Locator("#co-add-title-0")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(staff.Locator("#co-add-amount-0")).ToHaveValueAsync("500.00");
        await Expect(staff.Locator("fieldset[data-change-row='3']").GetByLabel("New amount (EUR)")).ToHaveValueAsync("3500.00");
        await Chromium.AssertAccessibleAsync(staff, "change order form with an error");
        await staff.Locator("#co-add-title-0").FillAsync("Campaign landing page");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Draft change order" }).ClickAsync();
        await Expect(staff.Locator(".flash")).ToContainTextAsync("Change order drafted");

        // Before anyone approves, the page shows what the plan becomes and that it adds up.
        var order = staff.Locator("[data-change-order]");
        await Expect(order.Locator("[data-value-after]")).ToHaveTextAsync("11,000.00 EUR");
        await Expect(order.Locator("[data-plan-check=ok]")).ToContainTextAsync("1,000.00 EUR more");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Propose to the client: Launch with a landing page" }).ClickAsync();
        await Expect(staff.Locator("[data-change-order-status]")).ToHaveTextAsync("proposed");
        await Chromium.AssertAccessibleAsync(staff, "contract with a proposed change order");
        await Chromium.ScreenshotAsync(staff, "contract-change-order");

        // The client reads the proposed change in the portal and approves it.
        var link = await Steps.SendPortalLinkAsync(staff, server, clientPath, "Monica Hall", "monica@raviga.test");
        var client = await chromium.NewPageAsync(server, 375, 812);
        await client.GotoAsync(link);
        await client.GetByRole(AriaRole.Link, new() { Name = "Pied Piper site" }).ClickAsync();
        await Expect(client.Locator("[data-change-order] [data-value-after]")).ToHaveTextAsync("11,000.00 EUR");
        await Chromium.AssertAccessibleAsync(client, "portal contract with a proposed change");
        await Chromium.ScreenshotAsync(client, "portal-change-order");
        var approval = client.Locator("[data-approve-change-form]");
        await approval.GetByLabel("Type your full name to sign").FillAsync("Monica Hall");
        await approval.GetByLabel("I agree to this change and the plan it makes").CheckAsync();
        await client.GetByRole(AriaRole.Button, new() { Name = "Approve the change Launch with a landing page" }).ClickAsync();
        await Expect(client.Locator(".flash")).ToContainTextAsync("the change is approved");
        await Expect(client.Locator("h1 + p")).ToContainTextAsync("11,000.00 EUR");

        // Staff see the new total, the changed milestone and the added one.
        await staff.GotoAsync(contractPath);
        await Expect(staff.Locator("h1 + p")).ToContainTextAsync("11,000.00 EUR");
        await Expect(staff.Locator("[data-change-order-status]")).ToHaveTextAsync("approved");
        await Expect(Steps.Milestone(staff, 3)).ToContainTextAsync("3,500.00 EUR");
        await Expect(Steps.Milestone(staff, 4)).ToContainTextAsync("Campaign landing page");
        await Expect(Steps.Milestone(staff, 4)).ToContainTextAsync("500.00 EUR");

        // The first invoice is paid, then the payment bounces: reversing it needs a reason and reopens the invoice.
        await Steps.Milestone(staff, 1).Locator("dd a[href^='/invoices/']").ClickAsync();
        var invoicePath = new Uri(staff.Url).AbsolutePath;
        await staff.GetByLabel("Reference").FillAsync("PP transfer 7");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Record payment" }).ClickAsync();
        await Expect(staff.Locator("[data-total=balance]")).ToHaveTextAsync("0.00 EUR");
        await staff.GetByText("Reverse the payment of").ClickAsync();
        await staff.GetByRole(AriaRole.Button, new() { Name = "Reverse payment" }).EvaluateAsync("b => b.form.noValidate = true");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Reverse payment" }).ClickAsync();
        await Expect(staff.Locator(".field-error")).ToContainTextAsync("Say why the payment is reversed.");
        await Expect(staff.Locator("[data-total=balance]")).ToHaveTextAsync("0.00 EUR");
        await staff.Locator("input[id^=reverse-reason-]").FillAsync("Bounced: account closed");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Reverse payment" }).ClickAsync();
        await Expect(staff.Locator(".flash")).ToContainTextAsync("Payment reversed");
        await Expect(staff.Locator("[data-total=balance]")).ToHaveTextAsync("3,600.00 EUR");
        await Expect(staff.Locator("tr[data-payment]")).ToContainTextAsync("reversed");
        await Chromium.AssertAccessibleAsync(staff, "invoice with a reversed payment");

        // A built-in template is copied and the copy edited; a plan that does not make 100% is refused next to its total.
        await staff.GotoAsync("/templates/0190a000-0000-7000-8000-000000000004");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Copy this template" }).ClickAsync();
        await Expect(staff.Locator("h1")).ToHaveTextAsync("Design 30/30/40 (copy)");
        await staff.Locator("#name").FillAsync("Design 20/30/30/20");
        await staff.Locator("#row-percentage-0").FillAsync("20");
        await staff.Locator("#row-title-3").FillAsync("Brand guidelines");
        await staff.Locator("#row-percentage-3").FillAsync("20");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Save template" }).ClickAsync();
        await Expect(staff.Locator("#plan-total-error")).ToContainTextAsync("not 100%");
        await Expect(staff.Locator("#row-title-3")).ToHaveValueAsync("Brand guidelines");
        await staff.Locator("#row-percentage-2").FillAsync("30");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Save template" }).ClickAsync();
        await Expect(staff.Locator(".flash")).ToContainTextAsync("Template saved");
        await Expect(staff.Locator("h1")).ToHaveTextAsync("Design 20/30/30/20");
        await Expect(staff.Locator("#plan-total")).ToContainTextAsync("100%");
        await Chromium.AssertAccessibleAsync(staff, "template");

        // On a phone, the staff tables reflow instead of scrolling sideways.
        await staff.SetViewportSizeAsync(375, 812);
        foreach (var (name, path) in new[] { ("contracts", "/contracts"), ("invoice", invoicePath), ("contract", contractPath), ("invoices", "/invoices"), ("aging", "/aging"), ("settings", "/settings"), ("reminders", "/settings/reminders") })
        {
            await staff.GotoAsync(path);
            var overflow = await staff.EvaluateAsync<int>("() => document.scrollingElement.scrollWidth - window.innerWidth");
            var wide = overflow <= 0 ? "" : await staff.EvaluateAsync<string>(
                "() => [...document.querySelectorAll('main *')].filter(e => e.getBoundingClientRect().right > innerWidth).slice(-5).map(e => e.outerHTML.slice(0, 120)).join('\\n')");
            Assert.True(overflow <= 0, $"the {name} page is {overflow}px wider than a 375px phone:\n{wide}");
            await Chromium.ScreenshotAsync(staff, "phone-" + name);
        }
    }
}
