using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tests.Documents;

/// <summary>
/// Issue 15, documents: files attached to contracts, milestones and change orders (API and staff
/// page), and by the client's contact to a request for changes or a dispute (portal). Uploads are
/// limited per file and per contract (1 MB and 2 MB here), judged by content against the allow-list,
/// stored once per content, served as downloads; the contract's files are part of its proposal.
/// </summary>
public abstract class AttachmentTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    private const int MB = 1048576;
    private CairnApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new CairnApp(engine)
        {
            Settings = new Dictionary<string, string?> { ["Cairn:Documents:MaxFileMegabytes"] = "1", ["Cairn:Documents:MaxContractMegabytes"] = "2" },
        };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_file_over_the_per_file_limit_is_refused_naming_the_file_and_nothing_is_stored()
    {
        var deal = await DealAsync();
        var big = Pdf(MB + 1000, 1);
        var version = (int)(await deal.Api.GetOkAsync($"/api/v1/contracts/{deal.ContractId}"))["version"]!;

        var refused = await Json.ProblemAsync(await deal.Api.UploadAsync($"/api/v1/contracts/{deal.ContractId}/attachments", "scan.pdf", big), 400, "file_too_large", "file");

        Assert.Equal("scan.pdf", refused.Str("fileName"));
        Assert.Contains("at most 1 MB", refused.Str("detail"), StringComparison.Ordinal);
        Assert.Empty(await ListAsync(deal.Api, $"/api/v1/contracts/{deal.ContractId}/attachments"));
        await using var db = engine.NewDb(deal.Api.OrganizationId);
        Assert.False(await db.FileBlobs.AnyAsync(b => b.Sha256 == Sha256(big)));
        Assert.Equal(version, (int)(await deal.Api.GetOkAsync($"/api/v1/contracts/{deal.ContractId}"))["version"]!);
    }

    [Fact]
    public async Task Files_over_the_per_contract_limit_are_refused_until_one_is_removed()
    {
        var deal = await DealAsync();
        var path = $"/api/v1/contracts/{deal.ContractId}/attachments";
        var first = await Json.OkAsync(await deal.Api.UploadAsync(path, "part-1.pdf", Pdf(900_000, 1)));
        await Json.OkAsync(await deal.Api.UploadAsync(path, "part-2.pdf", Pdf(900_000, 2)));

        var third = await Json.ProblemAsync(await deal.Api.UploadAsync(path, "part-3.pdf", Pdf(900_000, 3)), 400, "contract_files_too_large", "file");

        Assert.Equal("part-3.pdf", third.Str("fileName"));
        Assert.Equal(2, (await ListAsync(deal.Api, path)).Count);
        await deal.Api.SendAsync(HttpMethod.Delete, $"{path}/{first.Str("id")}", null);
        await Json.OkAsync(await deal.Api.UploadAsync(path, "part-3.pdf", Pdf(900_000, 3)));
        Assert.Equal(["part-2.pdf", "part-3.pdf"], (await ListAsync(deal.Api, path)).Select(a => a!.Str("fileName")));
    }

    [Fact]
    public async Task A_disallowed_type_or_a_lying_extension_is_refused_naming_the_file()
    {
        var deal = await DealAsync();
        var path = $"/api/v1/contracts/{deal.ContractId}/attachments";
        var exe = Executable();

        var program = await Json.ProblemAsync(await deal.Api.UploadAsync(path, "setup.exe", exe), 400, "file_type_not_allowed", "file");
        var disguised = await Json.ProblemAsync(await deal.Api.UploadAsync(path, "sow.pdf", exe), 400, "file_type_not_allowed", "file");
        var picture = await Json.ProblemAsync(await deal.Api.UploadAsync(path, "sow.pdf", Png()), 400, "file_type_mismatch", "file");
        var empty = await Json.ProblemAsync(await deal.Api.UploadAsync(path, "notes.txt", []), 400, "file_empty", "file");

        Assert.Equal("setup.exe", program.Str("fileName"));
        Assert.Equal("sow.pdf", disguised.Str("fileName"));
        Assert.Equal("sow.pdf", picture.Str("fileName"));
        Assert.Contains("PNG", picture.Str("detail"), StringComparison.Ordinal);
        Assert.Equal("notes.txt", empty.Str("fileName"));
        Assert.Empty(await ListAsync(deal.Api, path));

        // What the allow-list accepts, recognized by content: a picture, UTF-8 text, a Word document.
        Assert.Equal("image/png", (await Json.OkAsync(await deal.Api.UploadAsync(path, "logo.png", Png()))).Str("mediaType"));
        Assert.Equal("text/csv; charset=utf-8", (await Json.OkAsync(await deal.Api.UploadAsync(path, "hours.csv", Encoding.UTF8.GetBytes("day;hours\nMonday;7,5\n")))).Str("mediaType"));
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", (await Json.OkAsync(await deal.Api.UploadAsync(path, "brief.docx", Docx()))).Str("mediaType"));
        await Json.ProblemAsync(await deal.Api.UploadAsync(path, "brief.zip.pdf", Docx()), 400, "file_type_mismatch", "file");
    }

    [Fact]
    public async Task A_download_is_the_stored_bytes_served_as_an_attachment_with_its_hash_as_ETag_and_the_same_content_is_stored_once()
    {
        var deal = await DealAsync();
        var content = Pdf(50_000, 7);
        var path = $"/api/v1/contracts/{deal.ContractId}/attachments";

        var sow = await Json.OkAsync(await deal.Api.UploadAsync(path, "Leistungsbeschreibung für Kunde.pdf", content));
        var copy = await Json.OkAsync(await deal.Api.UploadAsync(path, "copy.pdf", content));
        using var download = await deal.Api.GetAsync(sow.Str("contentUrl"));

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var bytes = await download.Content.ReadAsByteArrayAsync();
        Assert.Equal(sow.Str("sha256"), Sha256(bytes));
        Assert.Equal(content, bytes);
        Assert.Equal("application/pdf", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("Leistungsbeschreibung für Kunde.pdf", download.Content.Headers.ContentDisposition.FileNameStar);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal($"\"{sow.Str("sha256")}\"", download.Headers.ETag!.Tag);
        Assert.Equal(sow.Str("sha256"), copy.Str("sha256"));
        Assert.NotEqual(sow.Str("id"), copy.Str("id"));
        await using var db = engine.NewDb(deal.Api.OrganizationId);
        Assert.Equal(1, await db.FileBlobs.CountAsync(b => b.Sha256 == sow.Str("sha256")));
        Assert.Equal(2, await db.Attachments.CountAsync());
        Assert.Equal(2, await db.AuditLog.CountAsync(e => e.EntityType == "attachment" && e.Action == "attached"));
    }

    [Fact]
    public async Task Attaching_after_proposing_withdraws_the_proposal_and_the_acceptance_covers_each_document_which_then_cannot_be_removed()
    {
        var deal = await DealAsync();
        var sowBytes = Pdf(40_000, 3);
        var sow = await Json.OkAsync(await deal.Api.UploadAsync($"/api/v1/contracts/{deal.ContractId}/attachments", "sow.pdf", sowBytes));
        var first = (await deal.Api.PostOkAsync($"/api/v1/contracts/{deal.ContractId}/propose", new { contactId = deal.ContactId })).Str("pendingProposalId");
        var browser = await PortalAsync(deal.Api, deal.ClientId, deal.ContactId);
        var page = await browser.GetAsync($"/portal/contracts/{deal.ContractId}");
        Assert.Contains("Documents of the proposal", page.Html, StringComparison.Ordinal);
        Assert.Contains(sow.Str("sha256"), page.Html, StringComparison.Ordinal);

        var annex = await Json.OkAsync(await deal.Api.UploadAsync($"/api/v1/contracts/{deal.ContractId}/attachments", "annex.txt", Encoding.UTF8.GetBytes("Hosting is not included.\n")));

        Assert.Equal("draft", (await deal.Api.GetOkAsync($"/api/v1/contracts/{deal.ContractId}")).Str("status"));
        Assert.Equal(HttpStatusCode.Conflict, (await AcceptAsync(browser, deal.ContractId, first)).StatusCode);
        var second = (await deal.Api.PostOkAsync($"/api/v1/contracts/{deal.ContractId}/propose", new { contactId = deal.ContactId })).Str("pendingProposalId");
        await browser.GetAsync($"/portal/contracts/{deal.ContractId}");
        using var downloaded = await browser.Http.GetAsync($"/portal/contracts/{deal.ContractId}/documents/{sow.Str("id")}");
        Assert.Equal(HttpStatusCode.OK, downloaded.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await AcceptAsync(browser, deal.ContractId, second)).StatusCode);

        var record = await deal.Api.GetOkAsync($"/api/v1/contracts/{deal.ContractId}/acceptance");
        var documents = record["documents"]!.AsArray();
        Assert.Equal(2, documents.Count);
        Assert.Equal(Sha256(await downloaded.Content.ReadAsByteArrayAsync()), documents.Single(d => d!.Str("fileName") == "sow.pdf")!.Str("sha256"));
        Assert.Equal(annex.Str("sha256"), documents.Single(d => d!.Str("fileName") == "annex.txt")!.Str("sha256"));
        var signed = PdfText.Read(await (await deal.Api.GetAsync($"/api/v1/contracts/{deal.ContractId}/acceptance/pdf")).Content.ReadAsByteArrayAsync());
        signed.Shows(sow.Str("sha256"));
        signed.Shows(annex.Str("sha256"));

        await Json.ProblemAsync(await deal.Api.SendAsync(HttpMethod.Delete, $"/api/v1/contracts/{deal.ContractId}/attachments/{sow.Str("id")}", null), 409, "attachment_locked");
        Assert.Equal(2, (await ListAsync(deal.Api, $"/api/v1/contracts/{deal.ContractId}/attachments")).Count);
        Assert.Equal("active", (await deal.Api.GetOkAsync($"/api/v1/contracts/{deal.ContractId}")).Str("status"));
    }

    [Fact]
    public async Task Submitted_deliverables_and_approved_change_orders_keep_their_files()
    {
        var staff = await _app.NewStaffOrganizationAsync(Infrastructure.Staff.Email("owner"));
        var contract = await Plans.ActiveWebsiteContractAsync(staff.Api);
        var milestones = Plans.MilestoneIds(contract);
        var design = await Json.OkAsync(await staff.Api.UploadAsync($"/api/v1/milestones/{milestones[0]}/attachments", "design.png", Png()));
        var draft = await Json.OkAsync(await staff.Api.UploadAsync($"/api/v1/milestones/{milestones[0]}/attachments", "draft.txt", Encoding.UTF8.GetBytes("first idea")));
        await Json.OkAsync(await staff.Api.SendAsync(HttpMethod.Delete, $"/api/v1/milestones/{milestones[0]}/attachments/{draft.Str("id")}", null));
        var order = (await staff.Api.PostOkAsync($"/api/v1/contracts/{contract.Str("id")}/change-orders", new { title = "Drop the launch", items = new[] { new { kind = "cancel", milestoneId = milestones[2] } } })).Str("id");
        var memo = await Json.OkAsync(await staff.Api.UploadAsync($"/api/v1/change-orders/{order}/attachments", "memo.pdf", Pdf(2000, 9)));

        await Plans.DeliverAsync(staff.Api, milestones[0]);
        await staff.Api.PostOkAsync($"/api/v1/change-orders/{order}/propose");
        await staff.Api.PostOkAsync($"/api/v1/change-orders/{order}/approve");

        await Json.ProblemAsync(await staff.Api.SendAsync(HttpMethod.Delete, $"/api/v1/milestones/{milestones[0]}/attachments/{design.Str("id")}", null), 409, "attachment_locked");
        await Json.ProblemAsync(await staff.Api.SendAsync(HttpMethod.Delete, $"/api/v1/change-orders/{order}/attachments/{memo.Str("id")}", null), 409, "attachment_locked");
        await Json.ProblemAsync(await staff.Api.UploadAsync($"/api/v1/milestones/{milestones[0]}/attachments", "late.png", Png()), 409, "invalid_transition");
        Assert.Equal(["design.png"], (await ListAsync(staff.Api, $"/api/v1/milestones/{milestones[0]}/attachments")).Select(a => a!.Str("fileName")));
        Assert.Equal(["design.png", "memo.pdf"], (await ListAsync(staff.Api, $"/api/v1/contracts/{contract.Str("id")}/documents")).Select(a => a!.Str("fileName")));
        var audit = (await staff.Api.GetOkAsync($"/api/v1/audit?entity=attachment&id={draft.Str("id")}"))["data"]!.AsArray();
        Assert.Contains(audit, e => e!.Str("action") == "removed");
    }

    [Fact]
    public async Task The_contact_attaches_files_to_a_request_for_changes_and_to_a_dispute_and_a_refused_file_changes_nothing()
    {
        var deal = await DealAsync();
        var proposal = (await deal.Api.PostOkAsync($"/api/v1/contracts/{deal.ContractId}/propose", new { contactId = deal.ContactId })).Str("pendingProposalId");
        var browser = await PortalAsync(deal.Api, deal.ClientId, deal.ContactId);
        await browser.GetAsync($"/portal/contracts/{deal.ContractId}");
        var fields = new Dictionary<string, string> { ["proposalId"] = proposal, ["Reason"] = "See our comments in the file." };

        var lying = await browser.PostFilesAsync($"/portal/contracts/{deal.ContractId}?handler=RequestChanges", fields, "Files", "comments.pdf", Png());
        Assert.Equal(HttpStatusCode.BadRequest, lying.StatusCode);
        Assert.Contains("id=\"revise-files-error\"", await lying.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("proposed", (await deal.Api.GetOkAsync($"/api/v1/contracts/{deal.ContractId}")).Str("status"));

        var asked = await browser.PostFilesAsync($"/portal/contracts/{deal.ContractId}?handler=RequestChanges", fields, "Files", "comments.pdf", Pdf(3000, 4));
        Assert.Equal(HttpStatusCode.Redirect, asked.StatusCode);
        var files = await ListAsync(deal.Api, $"/api/v1/contracts/{deal.ContractId}/documents");
        var comment = Assert.Single(files)!;
        Assert.Equal("change_request", comment.Str("ownerKind"));
        Assert.Equal(proposal, comment.Str("ownerId"));
        Assert.StartsWith("contact:", comment.Str("uploadedBy"), StringComparison.Ordinal);

        // A dispute on an active contract, with the contact's evidence.
        var website = await deal.Api.PostOkAsync("/api/v1/contracts", new { clientId = deal.ClientId, title = "Website", value = new { amount = "10000.00", currency = "EUR" }, taxRate = "20", templateId = Plans.WebsiteTemplate });
        var milestone = Plans.MilestoneIds(await deal.Api.PostOkAsync($"/api/v1/contracts/{website.Str("id")}/activate"))[0];
        await Plans.DeliverAsync(deal.Api, milestone);
        await browser.GetAsync($"/portal/contracts/{website.Str("id")}");
        var disputed = await browser.PostFilesAsync($"/portal/contracts/{website.Str("id")}?handler=Dispute", new Dictionary<string, string> { ["milestoneId"] = milestone, ["Reason"] = "The layout breaks on phones." }, "Files", "screenshot.png", Png());
        Assert.Equal(HttpStatusCode.Redirect, disputed.StatusCode);
        var dispute = (await deal.Api.GetOkAsync($"/api/v1/milestones/{milestone}")).Str("openDispute.id");
        var evidence = Assert.Single(await ListAsync(deal.Api, $"/api/v1/disputes/{dispute}/attachments"))!;
        Assert.Equal("screenshot.png", evidence.Str("fileName"));
        var portal = await browser.GetAsync($"/portal/contracts/{website.Str("id")}");
        Assert.Contains($"/portal/contracts/{website.Str("id")}/documents/{evidence.Str("id")}", portal.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_clients_contact_gets_404_for_every_document_route_of_the_portal()
    {
        var deal = await DealAsync();
        var sow = await Json.OkAsync(await deal.Api.UploadAsync($"/api/v1/contracts/{deal.ContractId}/attachments", "sow.pdf", Pdf(1000, 5)));
        await deal.Api.PostOkAsync($"/api/v1/contracts/{deal.ContractId}/propose", new { contactId = deal.ContactId });
        var otherClient = await Plans.ClientAsync(deal.Api, "Initech");
        var yuri = (await deal.Api.PostOkAsync($"/api/v1/clients/{otherClient}/contacts", new { name = "Yuri", email = Infrastructure.Staff.Email("yuri") })).Str("id");
        var his = await deal.Api.PostOkAsync("/api/v1/contracts", new { clientId = otherClient, title = "Initech migration", value = new { amount = "5000.00", currency = "EUR" }, taxRate = "20", templateId = Plans.FixedFeeTemplate });
        await deal.Api.PostOkAsync($"/api/v1/contracts/{his.Str("id")}/propose", new { contactId = yuri });
        var outsider = await PortalAsync(deal.Api, otherClient, yuri);

        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/portal/contracts/{deal.ContractId}/documents/{sow.Str("id")}")).Status);
        // Through his own contract's address, too.
        Assert.Equal(HttpStatusCode.NotFound, (await outsider.GetAsync($"/portal/contracts/{his.Str("id")}/documents/{sow.Str("id")}")).Status);
        Assert.DoesNotContain(sow.Str("id"), (await outsider.GetAsync($"/portal/contracts/{his.Str("id")}")).Html, StringComparison.Ordinal);
        var owner = await PortalAsync(deal.Api, deal.ClientId, deal.ContactId);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/portal/contracts/{deal.ContractId}/documents/{sow.Str("id")}")).Status);
    }

    [Fact]
    public async Task Staff_attach_and_remove_a_draft_contracts_file_on_its_page()
    {
        var staff = await _app.NewStaffOrganizationAsync(Infrastructure.Staff.Email("owner"));
        var contract = (await Plans.ContractAsync(staff.Api, "10000.00", Plans.FixedFeeTemplate)).Str("id");
        var browser = new Browser(_app);
        await browser.SignInAsync(staff.OwnerEmail, Infrastructure.Staff.Password);
        await browser.GetAsync($"/contracts/{contract}");

        var lying = await browser.PostFilesAsync($"/contracts/{contract}?handler=Upload", new Dictionary<string, string> { ["DocumentOwner"] = "contract" }, "Upload", "sow.pdf", Executable());
        Assert.Equal(HttpStatusCode.BadRequest, lying.StatusCode);
        Assert.Contains("id=\"document-file-error\"", await lying.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var attached = await browser.PostFilesAsync($"/contracts/{contract}?handler=Upload", new Dictionary<string, string> { ["DocumentOwner"] = "contract" }, "Upload", "sow.pdf", Pdf(5000, 2));
        Assert.Equal(HttpStatusCode.Redirect, attached.StatusCode);
        var file = Assert.Single(await ListAsync(staff.Api, $"/api/v1/contracts/{contract}/attachments"))!;
        var page = await browser.GetAsync($"/contracts/{contract}");
        Assert.Contains($"/api/v1/attachments/{file.Str("id")}/content", page.Html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await browser.Http.GetAsync($"/api/v1/attachments/{file.Str("id")}/content")).StatusCode);

        var removed = await browser.PostFormAsync($"/contracts/{contract}?handler=RemoveDocument", new Dictionary<string, string> { ["attachmentId"] = file.Str("id") });
        Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Empty(await ListAsync(staff.Api, $"/api/v1/contracts/{contract}/attachments"));
        await Json.ProblemAsync(await staff.Api.GetAsync($"/api/v1/attachments/{file.Str("id")}/content"), 404, "not_found");
    }

    private static async Task<JsonArray> ListAsync(ApiClient api, string path) => (await api.GetOkAsync(path))["data"]!.AsArray();

    private static Task<HttpResponseMessage> AcceptAsync(Browser browser, string contractId, string proposalId) =>
        browser.PostFormAsync($"/portal/contracts/{contractId}?handler=Accept", new Dictionary<string, string> { ["proposalId"] = proposalId, ["TypedName"] = "Xena Warrior", ["Agree"] = "true" });

    /// <summary>A draft contract (Fixed fee 40/30/30, a deposit first) for Globex, whose contact is Xena; not proposed.</summary>
    private async Task<Deal> DealAsync()
    {
        var staff = await _app.NewStaffOrganizationAsync(Infrastructure.Staff.Email("owner"));
        var contract = await Plans.ContractAsync(staff.Api, "10000.00", Plans.FixedFeeTemplate);
        var clientId = contract.Str("clientId");
        var contactId = (await staff.Api.PostOkAsync($"/api/v1/clients/{clientId}/contacts", new { name = "Xena", email = Infrastructure.Staff.Email("xena") })).Str("id");
        return new Deal(staff.Api, clientId, contactId, contract.Str("id"));
    }

    /// <summary>A browser in the portal as the contact, through a new portal link.</summary>
    private async Task<Browser> PortalAsync(ApiClient api, string clientId, string contactId)
    {
        var link = await api.PostOkAsync($"/api/v1/clients/{clientId}/contacts/{contactId}/portal-links", new { sendEmail = false });
        var browser = new Browser(_app);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync(new Uri(link.Str("url")).PathAndQuery)).Status);
        return browser;
    }

    private static string Sha256(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>A file that starts like a PDF, <paramref name="size"/> bytes long, different for each <paramref name="seed"/>.</summary>
    private static byte[] Pdf(int size, int seed)
    {
        var content = new byte[size];
        new Random(seed).NextBytes(content);
        "%PDF-1.7\n"u8.CopyTo(content);
        return content;
    }

    private static byte[] Png() => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, (byte)'I', (byte)'H', (byte)'D', (byte)'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0];

    /// <summary>The start of a Windows program (an MZ header).</summary>
    private static byte[] Executable() => [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, 0, 0];

    /// <summary>A minimal Word document: a ZIP with [Content_Types].xml and word/document.xml.</summary>
    private static byte[] Docx()
    {
        using var buffer = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(buffer, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var name in new[] { "[Content_Types].xml", "word/document.xml" })
            {
                using var writer = new StreamWriter(zip.CreateEntry(name).Open());
                writer.Write("<?xml version=\"1.0\"?><x/>");
            }
        }

        return buffer.ToArray();
    }

    private sealed record Deal(ApiClient Api, string ClientId, string ContactId, string ContractId);
}

public sealed class SqliteAttachments(SqliteEngine engine) : AttachmentTests<SqliteEngine>(engine);

public sealed class PostgresAttachments(PostgresEngine engine) : AttachmentTests<PostgresEngine>(engine);
