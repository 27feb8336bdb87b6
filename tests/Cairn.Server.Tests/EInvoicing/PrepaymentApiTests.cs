using System.Text.Json.Nodes;
using System.Xml.Linq;
using Cairn.Domain;
using Cairn.Server.Tests.Documents;
using Cairn.Server.Tests.Infrastructure;
using Cairn.Server.Tests.Verification;
using Cairn.Server.Verification;

namespace Cairn.Server.Tests.EInvoicing;

/// <summary>
/// A deposit that prepays the whole contract: a prepayment invoice (type 386) at activation, deducted
/// by the later invoices as negative lines naming it (BG-3), so VAT is declared once; a credited deposit
/// deducts less, a deducted one cannot be credited, and <c>verify</c> finds deductions out of bounds.
/// </summary>
public abstract class PrepaymentApiTests<TEngine>(TEngine engine) : IClassFixture<TEngine>, IAsyncLifetime
    where TEngine : Engine
{
    private static readonly XNamespace Cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
    private static readonly XNamespace Cac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";
    private static readonly XNamespace Rsm = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100";
    private static readonly XNamespace Ram = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100";

    private CairnApp _app = null!;

    public Task InitializeAsync()
    {
        _app = new CairnApp(engine);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_40_percent_deposit_is_a_prepayment_invoice_and_the_final_invoice_deducts_it_naming_it()
    {
        var api = await SellerAsync();
        var (contractId, milestones) = await ContractAsync(api, "40", ("Build", "100"));

        var activated = await api.PostOkAsync($"/api/v1/contracts/{contractId}/activate");
        var deposit = await InvoiceOfAsync(api, milestones[0]);
        await Plans.DeliverAsync(api, milestones[1]);
        var final = await api.GetOkAsync($"/api/v1/invoices/{(await api.PostOkAsync($"/api/v1/milestones/{milestones[1]}/approve")).Str("invoice.id")}");

        Assert.Equal("active", activated.Str("status"));
        Assert.Equal(("INV-2026-000001", "true", "4000.00", "800.00", "4800.00"), (deposit.Str("number"), Flag(deposit, "prepayment"), deposit.Str("net.amount"), deposit.Str("tax.amount"), deposit.Str("gross.amount")));
        Assert.Equal(("INV-2026-000002", "false", "6000.00", "1200.00", "7200.00"), (final.Str("number"), Flag(final, "prepayment"), final.Str("net.amount"), final.Str("tax.amount"), final.Str("gross.amount")));
        Assert.Equal(["10000.00 S 20 -", "-4000.00 S 20 INV-2026-000001"], Lines(final));
        Assert.Equal(["S 20 6000.00 1200.00"], Groups(final));

        var ubl = new Dictionary<string, byte[]> { ["prepayment"] = await UblAsync(api, deposit), ["final"] = await UblAsync(api, final) };
        var cii = new Dictionary<string, byte[]> { ["prepayment-cii"] = await UblAsync(api, deposit, format: "cii"), ["final-cii"] = await UblAsync(api, final, format: "cii") };
        Assert.All(Validator.Validate(ubl.Concat(cii).ToDictionary()), f => Assert.True(f.Value.Count == 0, $"{f.Key}: {string.Join("; ", f.Value)}"));
        Assert.Equal("386", Root(cii["prepayment-cii"]).Element(Rsm + "ExchangedDocument")!.Element(Ram + "TypeCode")!.Value);
        Assert.Equal("INV-2026-000001", Root(cii["final-cii"]).Descendants(Ram + "InvoiceReferencedDocument").Single().Element(Ram + "IssuerAssignedID")!.Value);
        Assert.Equal("386", Root(ubl["prepayment"]).Element(Cbc + "InvoiceTypeCode")!.Value);
        Assert.Equal("380", Root(ubl["final"]).Element(Cbc + "InvoiceTypeCode")!.Value);
        var reference = Root(ubl["final"]).Element(Cac + "BillingReference")!.Element(Cac + "InvoiceDocumentReference")!;
        Assert.Equal(("INV-2026-000001", deposit.Str("issueDate")), (reference.Element(Cbc + "ID")!.Value, reference.Element(Cbc + "IssueDate")!.Value));
        Assert.Null(Root(ubl["prepayment"]).Element(Cac + "BillingReference"));
        (await SameNumbers.CheckAsync(api, deposit, ubl["prepayment"], cii["prepayment-cii"])).Shows("PREPAYMENT INVOICE");
        var pdf = await SameNumbers.CheckAsync(api, final, ubl["final"], cii["final-cii"]);
        pdf.Shows("Deduction of prepayment invoice INV-2026-000001");
        Assert.DoesNotContain("PREPAYMENT INVOICE", pdf.All, StringComparison.Ordinal);
        Assert.Empty(await VerifyAsync());
    }

    [Fact]
    public async Task A_credited_deposit_deducts_less_a_deducted_one_cannot_be_credited_and_verify_finds_deductions_out_of_bounds()
    {
        var api = await SellerAsync();
        var (contractId, milestones) = await ContractAsync(api, "40", ("Design", "30"), ("Build", "70"));
        await api.PostOkAsync($"/api/v1/contracts/{contractId}/activate");
        var deposit = await InvoiceOfAsync(api, milestones[0]);

        // 1,200.00 of the 4,800.00 deposit is credited: 3,000.00 net is left, of which Design (30%) deducts 900.00.
        var credit = await api.PostOkAsync($"/api/v1/invoices/{deposit.Str("id")}/credit-notes", new { amount = Eur("1200.00"), reason = "Smaller scope agreed" });
        await Plans.DeliverAsync(api, milestones[1]);
        var design = await InvoiceOfAsync(api, milestones[1], approve: true);
        Assert.Equal(["3000.00 S 20 -", "-900.00 S 20 INV-2026-000001"], Lines(design));
        Assert.Equal(("2100.00", "420.00", "2520.00"), (design.Str("net.amount"), design.Str("tax.amount"), design.Str("gross.amount")));

        // 2,100.00 net is still to deduct: a credit note taking back 2,200.00 net would give the client deducted money twice.
        var refused = await Json.ProblemAsync(await api.PostAsync($"/api/v1/invoices/{deposit.Str("id")}/credit-notes", new { amount = Eur("2640.00"), reason = "Refund the rest" }), 409, "prepayment_already_deducted");
        Assert.Contains("at most the 2100.00 net not deducted yet", refused.Str("detail"), StringComparison.Ordinal);
        Assert.Equal("1200.00", (await api.GetOkAsync($"/api/v1/invoices/{deposit.Str("id")}")).Str("credited.amount"));

        await Plans.DeliverAsync(api, milestones[2]);
        var build = await InvoiceOfAsync(api, milestones[2], approve: true);
        Assert.Equal(["7000.00 S 20 -", "-2100.00 S 20 INV-2026-000001"], Lines(build));
        Assert.Equal(("4900.00", "980.00", "5880.00"), (build.Str("net.amount"), build.Str("tax.amount"), build.Str("gross.amount")));

        var ubl = new Dictionary<string, byte[]>
        {
            ["deposit"] = await UblAsync(api, deposit),
            ["credit"] = await UblAsync(api, credit, "credit-notes"),
            ["design"] = await UblAsync(api, design),
            ["build"] = await UblAsync(api, build),
            ["design-cii"] = await UblAsync(api, design, format: "cii"),
            ["build-cii"] = await UblAsync(api, build, format: "cii"),
        };
        Assert.All(Validator.Validate(ubl), f => Assert.True(f.Value.Count == 0, $"{f.Key}: {string.Join("; ", f.Value)}"));
        foreach (var (invoice, name) in new[] { (design, "design"), (build, "build") })
            await SameNumbers.CheckAsync(api, invoice, ubl[name], ubl[name + "-cii"]);
        Assert.Empty(await VerifyAsync());

        await PlantAsync("UPDATE invoice_lines SET net_minor = net_minor * 3 WHERE prepayment_invoice_id IS NOT NULL");
        Assert.Contains(await VerifyAsync(), v => v.Rule == "4 prepayment deductions within what was invoiced and not credited" && v.Ids.Contains(deposit.Str("id"), StringComparer.OrdinalIgnoreCase));
        await PlantAsync("UPDATE invoice_lines SET net_minor = net_minor / 3, prepayment_number = 'INV-2026-000099' WHERE prepayment_invoice_id IS NOT NULL");
        Assert.Contains(await VerifyAsync(), v => v.Rule == "4 prepayment deductions within what was invoiced and not credited" && v.Message.Contains("by its number", StringComparison.Ordinal));

        // The database this class shares is sound again once the deductions name their prepayment invoice.
        await PlantAsync("UPDATE invoice_lines SET prepayment_number = (SELECT p.number FROM invoices p WHERE p.id = invoice_lines.prepayment_invoice_id) WHERE prepayment_invoice_id IS NOT NULL");
        Assert.Empty(await VerifyAsync());
    }

    [Fact]
    public async Task A_deposit_on_a_plan_in_two_VAT_groups_is_invoiced_and_deducted_per_group_and_every_document_validates()
    {
        var api = await SellerAsync();
        var (contractId, milestones) = await ContractAsync(api, "40", ("Design", "20"), ("Build", "40"), ("Training", "40"));
        await api.PatchOkAsync($"/api/v1/milestones/{milestones[3]}", new { tax = new { category = "S", rate = "10" } });

        // 40% of 10,000.00 prepays 6,000.00 at 20% and 4,000.00 at 10%: 2,400.00 + 1,600.00, VAT 480.00 + 160.00.
        await api.PostOkAsync($"/api/v1/contracts/{contractId}/activate");
        var deposit = await InvoiceOfAsync(api, milestones[0]);
        Assert.Equal(["2400.00 S 20 -", "1600.00 S 10 -"], Lines(deposit));
        Assert.Equal(["S 20 2400.00 480.00", "S 10 1600.00 160.00"], Groups(deposit));
        Assert.Equal(("4000.00", "640.00", "4640.00"), (deposit.Str("net.amount"), deposit.Str("tax.amount"), deposit.Str("gross.amount")));
        // Its deposit account shares a credit among the groups as they were invoiced: a split per group is not chosen.
        await Json.ProblemAsync(await api.PostAsync($"/api/v1/invoices/{deposit.Str("id")}/credit-notes", new { reason = "Training dropped", lines = new[] { new { taxCategory = "S", taxRate = "10", net = Eur("100.00") } } }), 409, "prepayment_split_fixed", "lines");

        // Each invoice deducts in its own VAT group: Design a third of the 20% part, Build (the last at 20%) the rest, Training the 10% part.
        var invoices = new List<JsonNode>();
        foreach (var milestone in milestones.Skip(1))
        {
            await Plans.DeliverAsync(api, milestone);
            invoices.Add(await InvoiceOfAsync(api, milestone, approve: true));
        }

        Assert.Equal(["2000.00 S 20 -", "-800.00 S 20 INV-2026-000001"], Lines(invoices[0]));
        Assert.Equal(["4000.00 S 20 -", "-1600.00 S 20 INV-2026-000001"], Lines(invoices[1]));
        Assert.Equal(["4000.00 S 10 -", "-1600.00 S 10 INV-2026-000001"], Lines(invoices[2]));
        Assert.Equal(["S 10 2400.00 240.00"], Groups(invoices[2]));
        Assert.Equal(("2400.00", "240.00", "2640.00"), (invoices[2].Str("net.amount"), invoices[2].Str("tax.amount"), invoices[2].Str("gross.amount")));

        // VAT is declared once per group: what the deposit and the invoices declare is the contract's VAT.
        var declared = invoices.Prepend(deposit).SelectMany(i => i["taxBreakdown"]!.AsArray()).GroupBy(g => g!.Str("rate")).ToDictionary(g => g.Key, g => g.Sum(x => decimal.Parse(x!.Str("tax.amount"), System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal((1200.00m, 400.00m), (declared["20"], declared["10"]));

        var documents = new Dictionary<string, byte[]> { ["deposit"] = await UblAsync(api, deposit), ["deposit-cii"] = await UblAsync(api, deposit, format: "cii") };
        foreach (var (invoice, i) in invoices.Select((v, i) => (v, i)))
        {
            documents[$"invoice-{i}"] = await UblAsync(api, invoice);
            documents[$"invoice-{i}-cii"] = await UblAsync(api, invoice, format: "cii");
        }

        Assert.All(Validator.Validate(documents), f => Assert.True(f.Value.Count == 0, $"{f.Key}: {string.Join("; ", f.Value)}"));
        (await SameNumbers.CheckAsync(api, deposit, documents["deposit"], documents["deposit-cii"])).Shows("PREPAYMENT INVOICE");
        foreach (var (invoice, i) in invoices.Select((v, i) => (v, i)))
            await SameNumbers.CheckAsync(api, invoice, documents[$"invoice-{i}"], documents[$"invoice-{i}-cii"]);
        Assert.Equal(["S 10.00 -1600.00"], Root(documents["invoice-2"]).Elements(Cac + "InvoiceLine").Skip(1)
            .Select(l => $"{l.Descendants(Cac + "ClassifiedTaxCategory").Single().Element(Cbc + "ID")!.Value} {l.Descendants(Cac + "ClassifiedTaxCategory").Single().Element(Cbc + "Percent")!.Value} {l.Element(Cbc + "LineExtensionAmount")!.Value}"));
        Assert.Empty(await VerifyAsync());

        // A deduction moved into a VAT group the deposit billed less in is out of bounds even though the total is not.
        await PlantAsync("UPDATE invoice_lines SET tax_rate_per_million = 100000 WHERE prepayment_invoice_id IS NOT NULL AND net_minor = -160000 AND description LIKE '% (S 20%)'");
        Assert.Contains(await VerifyAsync(), v => v.Rule == "4 prepayment deductions within what was invoiced and not credited" && v.Message.Contains("in that VAT group", StringComparison.Ordinal));
        await PlantAsync("UPDATE invoice_lines SET tax_rate_per_million = 200000 WHERE prepayment_invoice_id IS NOT NULL AND tax_rate_per_million = 100000 AND description LIKE '% (S 20%)'");
        Assert.Empty(await VerifyAsync());
    }

    [Fact]
    public async Task A_prepayment_must_be_an_on_start_deposit_and_is_shown_on_the_milestone()
    {
        var api = await SellerAsync();
        var contract = await api.PostOkAsync("/api/v1/contracts", new { clientId = await ClientAsync(api), title = "Website relaunch", value = Eur("10000.00"), taxRate = "20" });

        await Json.ProblemAsync(await api.PostAsync($"/api/v1/contracts/{contract.Str("id")}/milestones", new { title = "Deposit", percentage = "40", prepayment = true }), 400, "prepayment_needs_on_start", "prepayment");
        var deposit = await api.PostOkAsync($"/api/v1/contracts/{contract.Str("id")}/milestones", new { title = "Deposit", percentage = "40", trigger = "on_start", prepayment = true });
        await Json.ProblemAsync(await api.PostAsync($"/api/v1/contracts/{contract.Str("id")}/milestones", new { title = "Second deposit", percentage = "10", trigger = "on_start", prepayment = true }), 400, "prepayment_exists", "prepayment");

        Assert.Equal(("true", "4000.00", "on_start"), (Flag(deposit, "prepayment"), deposit.Str("amount.amount"), deposit.Str("trigger")));
        Assert.Single((await api.GetOkAsync($"/api/v1/contracts/{contract.Str("id")}/milestones"))["data"]!.AsArray());
    }

    private static string Flag(JsonNode node, string field) => node[field]!.GetValue<bool>() ? "true" : "false";

    private static object Eur(string amount) => new { amount, currency = "EUR" };

    private Task<ApiClient> SellerAsync() => SellerAsync(_app);

    /// <summary>An organization with a seller party (FR) that issues at once.</summary>
    internal static async Task<ApiClient> SellerAsync(CairnApp app)
    {
        var api = await app.NewOrganizationAsync();
        await api.PatchOkAsync("/api/v1/settings", new
        {
            issueMode = "immediately",
            party = new { address = new { line1 = "1 Rue de la Paix", city = "Paris", postalCode = "75002", countryCode = "FR" } },
        });
        return api;
    }

    /// <summary>A client with a buyer party (FR); its id.</summary>
    internal static async Task<string> ClientAsync(ApiClient api) =>
        (await api.PostOkAsync("/api/v1/clients", new { name = "Globex", email = "ap@globex.test", party = new { address = new { line1 = "2 Rue du Port", city = "Lyon", postalCode = "69001", countryCode = "FR" } } })).Str("id");

    /// <summary>A draft contract of 10,000.00 EUR at 20% with a prepayment of <paramref name="depositPercent"/> and a plan of percentages; the milestone ids, deposit first.</summary>
    private static async Task<(string ContractId, List<string> Milestones)> ContractAsync(ApiClient api, string depositPercent, params (string Title, string Percent)[] plan)
    {
        var contract = await api.PostOkAsync("/api/v1/contracts", new { clientId = await ClientAsync(api), title = "Website relaunch", value = Eur("10000.00"), taxRate = "20" });
        var milestones = new List<string>
        {
            (await api.PostOkAsync($"/api/v1/contracts/{contract.Str("id")}/milestones", new { title = "Deposit", percentage = depositPercent, trigger = "on_start", prepayment = true })).Str("id"),
        };
        foreach (var (title, percent) in plan)
            milestones.Add((await api.PostOkAsync($"/api/v1/contracts/{contract.Str("id")}/milestones", new { title, percentage = percent })).Str("id"));
        return (contract.Str("id"), milestones);
    }

    private static async Task<JsonNode> InvoiceOfAsync(ApiClient api, string milestoneId, bool approve = false)
    {
        var milestone = approve ? await api.PostOkAsync($"/api/v1/milestones/{milestoneId}/approve") : await api.GetOkAsync($"/api/v1/milestones/{milestoneId}");
        return await api.GetOkAsync($"/api/v1/invoices/{milestone.Str("invoice.id")}");
    }

    private static List<string> Lines(JsonNode invoice) =>
        invoice["lines"]!.AsArray().Select(l => $"{l!.Str("net.amount")} {l!.Str("taxCategory")} {l!.Str("taxRate")} {(l!["deducts"] is { } d ? d.Str("number") : "-")}").ToList();

    private static List<string> Groups(JsonNode invoice) =>
        invoice["taxBreakdown"]!.AsArray().Select(g => $"{g!.Str("category")} {g!.Str("rate")} {g!.Str("net.amount")} {g!.Str("tax.amount")}").ToList();

    private static async Task<byte[]> UblAsync(ApiClient api, JsonNode document, string kind = "invoices", string format = "ubl")
    {
        var response = await api.GetAsync($"/api/v1/{kind}/{document.Str("id")}/{format}");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadAsByteArrayAsync();
    }

    private static XElement Root(byte[] xml) => XDocument.Parse(System.Text.Encoding.UTF8.GetString(xml)).Root!;

    private async Task<IReadOnlyList<Violation>> VerifyAsync()
    {
        await using var db = engine.NewDb();
        return await new InvariantChecker(db).CheckAsync();
    }

    private async Task PlantAsync(string sql)
    {
        await using var db = engine.NewDb();
        await InvariantCheckerTests<TEngine>.WithoutTriggersAsync(db, sql);
    }
}

public sealed class SqlitePrepaymentApi(SqliteEngine engine) : PrepaymentApiTests<SqliteEngine>(engine);

public sealed class PostgresPrepaymentApi(PostgresEngine engine) : PrepaymentApiTests<PostgresEngine>(engine);
