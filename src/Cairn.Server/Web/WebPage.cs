using System.Net;
using Cairn.Domain;
using Cairn.Server.Data;
using Cairn.Server.Identity;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Cairn.Server.Web;

/// <summary>
/// What every page of the web app shares: running a change in one transaction (the API's unit of
/// work only wraps /api/v1), and showing a domain error next to the field it names while the
/// form keeps what was typed.
/// </summary>
public abstract class WebPage : PageModel
{
    /// <summary>The key of errors that belong to no one field.</summary>
    public const string FormError = "";

    /// <summary>Errors of the form that was posted, keyed by the API's field name (e.g. <c>value.amount</c>).</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The form that was posted, when a page has several (e.g. payment and credit note).</summary>
    public string? PostedForm { get; protected set; }

    /// <summary>A one-line message carried over a redirect, e.g. "Payment recorded".</summary>
    [TempData]
    public string? Flash { get; set; }

    /// <summary>The first error of the posted form for any of the fields, or null.</summary>
    public string? ErrorFor(string form, params string[] fields)
    {
        if (PostedForm != form)
            return null;
        foreach (var field in fields)
        {
            if (Errors.TryGetValue(field, out var message))
                return message;
            var nested = Errors.FirstOrDefault(e => e.Key.StartsWith(field + ".", StringComparison.OrdinalIgnoreCase) || e.Key.StartsWith(field + "[", StringComparison.OrdinalIgnoreCase));
            if (nested.Value is not null)
                return nested.Value;
        }

        return null;
    }

    /// <summary>The message under a field (with the id its input names in aria-describedby), or nothing.</summary>
    public IHtmlContent FieldError(string form, string id, params string[] fields) =>
        ErrorFor(form, fields.Length == 0 ? [id] : fields) is { } message
            ? new HtmlString($"<p class=\"field-error\" id=\"{id}-error\">{WebUtility.HtmlEncode(message)}</p>")
            : HtmlString.Empty;

    /// <summary>The summary of the posted form's errors (announced to screen readers), or nothing for any other form.</summary>
    public IHtmlContent ErrorSummary(string form)
    {
        if (PostedForm != form || Errors.Count == 0)
            return HtmlString.Empty;
        var items = string.Concat(Errors.Values.Select(m => $"<li>{WebUtility.HtmlEncode(m)}</li>"));
        return new HtmlString($"<div class=\"error-summary\" role=\"alert\" id=\"{form}-errors\"><h2>{WebUtility.HtmlEncode(CorrectThis)}</h2><ul>{items}</ul></div>");
    }

    /// <summary>The heading of an error summary.</summary>
    protected virtual string CorrectThis => "Please correct this";

    /// <summary>What the page says about a refused change; the portal says it in the client's language.</summary>
    protected virtual string Say(Failure failure) => failure.Message;

    /// <summary>"true" for aria-invalid when a field is at fault; null leaves the attribute out.</summary>
    public string? Invalid(string form, params string[] fields) => ErrorFor(form, fields) is null ? null : "true";

    /// <summary>The id of a field's error message for aria-describedby, or null.</summary>
    public string? DescribedBy(string form, string id, params string[] fields) => ErrorFor(form, fields.Length == 0 ? [id] : fields) is null ? null : id + "-error";

    /// <summary>
    /// Runs a change in the one transaction runner (<see cref="Transactions"/>), committing only
    /// when it succeeds. A failure rolls everything back and is answered as <see cref="Failure"/>
    /// maps it for the API too: the message is kept for the form named <paramref name="form"/>
    /// (next to the field it names), the status code is set, and a transient database failure
    /// answers 503 with <c>Retry-After</c>. Anything else is a bug and propagates (500, logged).
    /// </summary>
    protected async Task<bool> TryChangeAsync(CairnDb db, string form, Func<Task> work)
    {
        PostedForm = form;
        try
        {
            return await Transactions.RunAsync(db, async () =>
            {
                await work();
                return true;
            }, HttpContext.RequestAborted);
        }
        catch (Exception e) when (Failure.Of(e) is { } failure)
        {
            Errors[failure.Error is null ? FormError : failure.Field ?? FormError] = Say(failure);
            Response.StatusCode = failure.Status;
            if (failure.IsTransient)
                Response.Headers.RetryAfter = Failure.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return false;
        }
    }

    /// <summary>Refuses a change the caller may not make: the form says so, and the answer is 403.</summary>
    protected bool Refuse(string form, string what)
    {
        PostedForm = form;
        Errors[FormError] = $"Your role may not {what}.";
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return false;
    }
}

/// <summary>A page of the staff workspace: signed-in staff only (others go to sign-in), with their role's permissions.</summary>
public abstract class StaffPage : WebPage
{
    /// <inheritdoc />
    public override async Task OnPageHandlerExecutionAsync(Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutingContext context, Microsoft.AspNetCore.Mvc.Filters.PageHandlerExecutionDelegate next)
    {
        if (Identity.Caller.From(User) is not { IsContact: false })
        {
            var back = Request.Path + Request.QueryString;
            context.Result = LocalRedirect("/signin?ReturnUrl=" + Uri.EscapeDataString(back));
            return;
        }

        await PageClock.Fill(ViewData, HttpContext);
        await next();
    }

    /// <summary>The signed-in user (the page requires one).</summary>
    public Caller Caller => Identity.Caller.From(User) ?? throw new InvalidOperationException("A staff page without a signed-in user.");

    /// <summary>Whether the signed-in user's role allows something; pages hide what it does not.</summary>
    public bool Can(Permission permission) => Caller.Can(permission);

    /// <summary>Runs a change the role must allow, in one transaction; see <see cref="WebPage.TryChangeAsync"/>.</summary>
    protected Task<bool> TryChangeAsync(CairnDb db, string form, Permission permission, string what, Func<Task> work) =>
        Can(permission) ? TryChangeAsync(db, form, work) : Task.FromResult(Refuse(form, what));
}
