using Cairn.Domain;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Cairn.Server.Web.Pages;

/// <summary>First run: creates the organization and its owner while the database has none; a 404 afterwards.</summary>
public sealed class SetupModel(Provisioning provisioning, StaffSignIn signIn) : WebPage
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? Address { get; set; }

    [BindProperty]
    public string? TaxId { get; set; }

    /// <summary>The seller's structured details (EN 16931 BG-4), posted as Party.* as on the Settings page.</summary>
    [BindProperty]
    public PartyFields Party { get; set; } = new();

    /// <summary>The name of the form, for its field errors.</summary>
    public const string Form = "setup";

    [BindProperty]
    public string? DefaultCurrency { get; set; } = "EUR";

    [BindProperty]
    public int? PaymentTermsDays { get; set; } = 30;

    [BindProperty]
    public string? Iban { get; set; }

    [BindProperty]
    public string? Bic { get; set; }

    [BindProperty]
    public string? PaymentInstructions { get; set; }

    [BindProperty]
    public string? TimeZone { get; set; } = BusinessCalendar.ServerTimeZoneId();

    [BindProperty]
    public string? OwnerName { get; set; }

    [BindProperty]
    public string? OwnerEmail { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    [BindProperty]
    public string? ConfirmPassword { get; set; }

    public string? Error { get; private set; }

    /// <summary>The field the error is about, marked invalid in the form.</summary>
    public string? ErrorField { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await provisioning.IsSetUpAsync(cancellationToken) ? NotFound() : Page();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await provisioning.IsSetUpAsync(cancellationToken))
            return NotFound();
        if (Password != ConfirmPassword)
            return Fail("The two passwords differ.");
        try
        {
            var details = new OrganizationDetails(
                Inputs.Required(Name, "name"),
                Inputs.Optional(Address, "address", 1000),
                Inputs.Optional(TaxId, "taxId", 50),
                null,
                (DefaultCurrency ?? "").Trim().ToUpperInvariant(),
                PaymentTermsDays ?? -1,
                Inputs.Required(TimeZone, "timeZone", 64),
                PaymentDetails.Compose(Iban, Bic, Inputs.Optional(PaymentInstructions, "paymentInstructions", 1000)),
                Party.ToJson(clearEmpty: false).ApplyTo(PartyDetails.Empty));
            var owner = new OwnerDetails(OwnerEmail ?? "", Inputs.Required(OwnerName, "ownerName", 100), Password ?? "");
            var provisioned = await provisioning.SetUpFirstOrganizationAsync(details, owner, cancellationToken);
            await signIn.OpenSessionAsync(HttpContext, provisioned.Owner, provisioned.Organization.Id, cancellationToken);
            return Redirect("/");
        }
        catch (DomainException e) when (e.Error.Code == "already_set_up")
        {
            return NotFound();
        }
        catch (DomainException e)
        {
            ErrorField = e.Error.Field;
            PostedForm = Form;
            Errors[e.Error.Field ?? FormError] = e.Error.Message;
            return Fail(e.Error.Message);
        }
    }

    private PageResult Fail(string message)
    {
        Error = message;
        Password = ConfirmPassword = null;
        // Nothing was created: the form comes back with what was typed (the passwords excepted) and a 400.
        Response.StatusCode = StatusCodes.Status400BadRequest;
        return Page();
    }
}
