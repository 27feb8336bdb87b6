using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Cairn.Server.Requests;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Pages.Account;

/// <summary>
/// Setting up the second factor: the page shows a new TOTP secret (as a QR code and as text);
/// the user proves their app has it with a current code, and gets ten recovery codes, shown once.
/// </summary>
public sealed class TwoFactorModel(CairnDb db, Identity.TwoFactor twoFactor) : StaffPage
{
    /// <summary>The new secret, sealed for the form (never stored until confirmed).</summary>
    [BindProperty] public string? Enrolment { get; set; }
    [BindProperty] public string? Code { get; set; }

    public bool Enabled { get; private set; }

    public string Secret { get; private set; } = "";

    public string QrSvg { get; private set; } = "";

    public IReadOnlyList<string>? RecoveryCodes { get; private set; }

    /// <summary>Whether the organization requires a second factor that this member has not set up yet.</summary>
    public bool Required => Caller.MustEnrolTwoFactor;


    public async Task OnGetAsync(CancellationToken ct) => await ShowAsync(Identity.TwoFactor.NewSecret(), ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var secret = twoFactor.Open(Enrolment);
        var ok = await TryChangeAsync(db, "two-factor", async () =>
        {
            if (secret is null)
                throw new DomainException(new DomainError("enrolment_expired", "This set-up page expired; scan the new code below.", "code"));
            var user = await db.Users.SingleAsync(u => u.Id == Guid.Parse(Caller.Actor.Id), ct);
            RecoveryCodes = await twoFactor.EnableAsync(user, secret, Code, ct)
                ?? throw new DomainException(new DomainError("invalid_code", "That code does not match; enter the 6-digit code your app shows now.", "code"));
        });
        Response.DoNotStore();
        if (!ok)
        {
            await ShowAsync(secret ?? Identity.TwoFactor.NewSecret(), ct);
            return Page();
        }

        Enabled = true;
        return Page();
    }

    private async Task ShowAsync(string secret, CancellationToken ct)
    {
        ViewData["Section"] = "settings";
        var user = await db.Users.AsNoTracking().SingleAsync(u => u.Id == Guid.Parse(Caller.Actor.Id), ct);
        Enabled = user.HasTwoFactor;
        Secret = secret;
        Enrolment = twoFactor.Seal(secret);
        QrSvg = Identity.TwoFactor.QrSvg(Identity.TwoFactor.UriOf(secret, user.Email));
        Code = null;
        Response.DoNotStore();
    }
}
