using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cairn.Web.Tests;

/// <summary>
/// Issue 15 in a real browser: staff propose a draft; the client asks for a change; staff revise and
/// propose again; the client accepts with a typed name; the deposit is invoiced; and the acceptance
/// record's hashes are the SHA-256 of the proposal PDF and of the SOW the client downloaded.
/// </summary>
public sealed class Sqlite_ProposalToSignOff(WebServer server, Chromium chromium) : IClassFixture<WebServer>, IClassFixture<Chromium>
{
    [Fact]
    public async Task The_client_asks_for_a_change_then_accepts_the_revised_proposal_and_the_record_hashes_the_PDF_they_downloaded()
    {
        var staff = await chromium.NewPageAsync(server);
        await Steps.SetUpAsync(staff);
        var clientPath = await Steps.AddClientAsync(staff, "Hooli", "Gavin Belson", "gavin@hooli.test");
        await Steps.NewContractAsync(staff, "Hooli", "Fixed fee 40/30/30", "Hooli platform", "10000.00");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Create draft contract" }).ClickAsync();
        await Expect(staff.Locator(".flash")).ToContainTextAsync("Draft contract created");
        var contractPath = new Uri(staff.Url).AbsolutePath;

        // The statement of work is attached to the draft: part of what the client accepts.
        var sowFile = Path.Combine(Path.GetTempPath(), "cairn-web-tests", Guid.NewGuid().ToString("N"), "sow.pdf");
        Directory.CreateDirectory(Path.GetDirectoryName(sowFile)!);
        await File.WriteAllTextAsync(sowFile, "%PDF-1.4\n% Statement of work: Hooli platform, three phases.\n%%EOF\n");
        await staff.Locator("#document-file").SetInputFilesAsync(sowFile);
        await staff.GetByRole(AriaRole.Button, new() { Name = "Attach file" }).ClickAsync();
        await Expect(staff.Locator(".flash")).ToContainTextAsync("File attached");
        await Expect(staff.Locator("[data-documents-section] [data-document-link]")).ToHaveTextAsync("sow.pdf");
        Directory.Delete(Path.GetDirectoryName(sowFile)!, recursive: true);
        await ProposeAsync(staff);

        // The client reads the proposal from the portal home and asks for a change.
        var link = await Steps.SendPortalLinkAsync(staff, server, clientPath, "Gavin Belson", "gavin@hooli.test");
        var client = await chromium.NewPageAsync(server, 390, 844);
        await client.GotoAsync(link);
        await Expect(client).ToHaveURLAsync(new Regex("/portal$"));
        await Chromium.AssertAccessibleAsync(client, "portal with a proposal waiting");
        await client.Locator("[data-waiting-proposal]").GetByRole(AriaRole.Link, new() { Name = "Hooli platform" }).ClickAsync();
        await Expect(client.Locator("#proposal-title")).ToHaveTextAsync("Proposal for your acceptance");
        await Chromium.AssertAccessibleAsync(client, "portal proposal");
        await Chromium.ScreenshotAsync(client, "portal-proposal");
        await client.GetByText("Ask for changes").ClickAsync();
        await client.GetByLabel("What should change").FillAsync("Move the second instalment to March.");
        await client.GetByRole(AriaRole.Button, new() { Name = "Send request for changes" }).ClickAsync();
        await Expect(client.Locator(".flash")).ToContainTextAsync("Your request for changes was sent");

        // Staff see the reason, revise the plan and propose again.
        await staff.GotoAsync(contractPath);
        await Expect(staff.Locator("[data-proposal-status]").First).ToHaveTextAsync("changes requested");
        await Expect(staff.Locator("[data-proposal]").First).ToContainTextAsync("Move the second instalment to March.");
        var second = Steps.Milestone(staff, 2);
        await second.Locator("details.edit-milestone summary").ClickAsync();
        await second.GetByLabel("Due date").FillAsync("2027-03-01");
        await second.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Save .* milestone$") }).ClickAsync();
        await Expect(staff.Locator(".flash")).ToContainTextAsync("Milestone saved");
        await ProposeAsync(staff);

        // The client downloads the revised proposal and accepts it with their typed name.
        await client.GotoAsync(contractPath.Replace("/contracts/", "/portal/contracts/", StringComparison.Ordinal));
        await Expect(client.Locator("#proposal")).ToContainTextAsync("2027-03-01");
        var download = await client.RunAndWaitForDownloadAsync(() => client.Locator("[data-proposal-pdf]").ClickAsync());
        var file = Path.Combine(Path.GetTempPath(), "cairn-web-tests", Guid.NewGuid().ToString("N") + ".pdf");
        await download.SaveAsAsync(file);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(file)));
        File.Delete(file);
        var sow = await client.RunAndWaitForDownloadAsync(() => client.Locator("#proposal [data-document-link]").ClickAsync());
        Assert.Equal("sow.pdf", sow.SuggestedFilename);
        var sowCopy = Path.Combine(Path.GetTempPath(), "cairn-web-tests", Guid.NewGuid().ToString("N") + ".pdf");
        await sow.SaveAsAsync(sowCopy);
        var sowSha256 = Convert.ToHexStringLower(SHA256.HashData(await File.ReadAllBytesAsync(sowCopy)));
        File.Delete(sowCopy);
        await client.GetByLabel("Type your full name to sign").FillAsync("Gavin Belson");
        await client.GetByLabel("I agree to this proposal, its plan and its terms").CheckAsync();
        await client.GetByRole(AriaRole.Button, new() { Name = "Accept the proposal" }).ClickAsync();
        await Expect(client.Locator(".flash")).ToContainTextAsync("you accepted the proposal");
        await Expect(client.Locator("[data-proposal-sha256]")).ToHaveTextAsync(sha256);
        await Expect(client.Locator("[data-typed-name]")).ToHaveTextAsync("Gavin Belson");
        await Expect(client.Locator("[data-acceptance-record] [data-document-sha256]")).ToHaveTextAsync(sowSha256);
        await Chromium.AssertAccessibleAsync(client, "portal accepted proposal");

        // Acceptance activated the contract and invoiced the 40% deposit: 4,000.00 + 20% VAT.
        await client.GotoAsync("/portal");
        await Expect(client.Locator("[data-waiting-invoice]")).ToContainTextAsync("4,800.00 EUR");
        await staff.GotoAsync(contractPath);
        await Expect(staff.Locator("[data-proposal-sha256]")).ToHaveTextAsync(sha256);
        await Expect(Steps.Milestone(staff, 1).Locator("[data-billing-status]")).ToHaveTextAsync("invoiced");
        await Chromium.AssertAccessibleAsync(staff, "contract with acceptance");
    }

    private static async Task ProposeAsync(IPage staff)
    {
        await staff.GetByLabel("Propose to").SelectOptionAsync(new SelectOptionValue { Label = "Gavin Belson (gavin@hooli.test)" });
        await staff.GetByRole(AriaRole.Button, new() { Name = "Propose for acceptance" }).ClickAsync();
        await Expect(staff.Locator(".flash")).ToContainTextAsync("Proposed to the client");
    }
}
