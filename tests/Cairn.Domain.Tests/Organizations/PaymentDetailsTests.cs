using Cairn.Domain;

namespace Cairn.Domain.Tests.Organizations;

public sealed class PaymentDetailsTests
{
    [Theory]
    [InlineData("DE89370400440532013000", "DE89 3704 0044 0532 0130 00")]
    [InlineData("gb82 west 1234 5698 7654 32", "GB82 WEST 1234 5698 7654 32")]
    [InlineData("NL91ABNA0417164300", "NL91 ABNA 0417 1643 00")]
    public void A_valid_iban_typed_any_way_prints_in_groups_of_four(string typed, string printed) =>
        Assert.Equal(printed, Iban.Parse(typed, "iban"));

    [Theory]
    [InlineData("DE89370400440532013001")] // one digit mistyped: the mod-97 check fails
    [InlineData("DE98370400440532013000")] // check digits swapped
    [InlineData("DE8937040044")] // too short
    [InlineData("8937040044053201300000")] // no country code
    public void A_mistyped_iban_is_refused_naming_the_field(string typed)
    {
        var error = Assert.Throws<DomainException>(() => Iban.Parse(typed, "iban")).Error;
        Assert.Equal("invalid_iban", error.Code);
        Assert.Equal("iban", error.Field);
    }

    [Theory]
    [InlineData("cobadeffxxx", "COBADEFFXXX")]
    [InlineData("ABNANL2A", "ABNANL2A")]
    public void A_bic_of_8_or_11_characters_is_accepted(string typed, string printed) => Assert.Equal(printed, Bic.Parse(typed, "bic"));

    [Theory]
    [InlineData("COBADEF")]
    [InlineData("12BADEFFXXX")]
    [InlineData("COBADEFFXX")]
    public void A_malformed_bic_is_refused(string typed) => Assert.Equal("invalid_bic", Assert.Throws<DomainException>(() => Bic.Parse(typed, "bic")).Error.Code);

    [Fact]
    public void Iban_bic_and_free_text_make_one_line_of_payment_instructions()
    {
        Assert.Equal("IBAN NL91 ABNA 0417 1643 00 · BIC ABNANL2A · please quote the invoice number", PaymentDetails.Compose("nl91abna0417164300", "abnanl2a", " please quote the invoice number "));
        Assert.Equal("Pay by card at https://pay.example", PaymentDetails.Compose(null, "", "Pay by card at https://pay.example"));
        Assert.Equal("", PaymentDetails.Compose(" ", null, null));
        Assert.False(PaymentDetails.AreGiven(""));
        Assert.Equal("iban", Assert.Throws<DomainException>(() => PaymentDetails.Compose(null, "ABNANL2A", null)).Error.Field);
    }
}
