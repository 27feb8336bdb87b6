using Cairn.Domain;

namespace Cairn.Domain.Tests.Organizations;

/// <summary>The lines of a party's address as documents print them: the structured address when there is one, else the free text.</summary>
public sealed class PartyAddressTests
{
    [Fact]
    public void A_structured_address_prints_street_lines_postcode_and_city_region_and_country()
    {
        var party = new PartySnapshot("Globex", "2 Main Street, Springfield", "", "")
        {
            Details = new PartyDetails { AddressLine1 = " Hauptstraße 5 ", AddressLine2 = "Hinterhaus", PostalCode = "10115", City = "Berlin", CountrySubdivision = "BE", CountryCode = "DE" },
        };

        Assert.Equal(["Hauptstraße 5", "Hinterhaus", "10115 Berlin", "BE", "DE"], party.AddressLines());
    }

    [Fact]
    public void A_city_without_postcode_stands_alone_and_missing_lines_are_left_out()
    {
        var party = new PartySnapshot("Globex", "", "", "") { Details = new PartyDetails { City = "Dublin", CountryCode = "IE" } };

        Assert.Equal(["Dublin", "IE"], party.AddressLines());
    }

    [Fact]
    public void Without_a_street_postcode_or_city_the_free_text_address_is_printed_line_by_line()
    {
        // A country alone (the seller's, resolved from its VAT id) does not replace what the organization typed.
        var party = new PartySnapshot("Acme", "1 Rue de la Paix\r\n75002 Paris\n\nFrance", "FR123", "") { Details = new PartyDetails { CountryCode = "FR" } };
        var old = new PartySnapshot("Acme", "1 Rue de la Paix, Paris", "", "");

        Assert.Equal(["1 Rue de la Paix", "75002 Paris", "France"], party.AddressLines());
        Assert.Equal(["1 Rue de la Paix, Paris"], old.AddressLines());
        Assert.Empty(new PartySnapshot("Nobody", "", "", "").AddressLines());
    }
}
