using Cairn.Server.Mail;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Cairn.Server.Tests.Mail;

/// <summary>The SMTP sender speaks real SMTP (to a minimal server on a loopback port) and is chosen when a host is configured.</summary>
public sealed class SmtpMailSenderTests
{
    [Fact]
    public async Task An_email_is_delivered_over_smtp_with_its_sender_recipient_and_link()
    {
        await using var receiver = new SmtpReceiver();
        var settings = MailSettings.Read(new ConfigurationBuilder().AddInMemoryCollection(receiver.Settings()).Build());

        await new SmtpMailSender(settings, TimeProvider.System).SendAsync(new OutgoingMail("bob@globex.test", "Bob", "Your portal", "Open https://cairn.test/portal/abc"));

        var (from, to, data) = Assert.Single(receiver.Received);
        Assert.Equal("<billing@acme.test>", from);
        Assert.Equal("<bob@globex.test>", to);
        Assert.Contains("Subject: Your portal", data);
        Assert.Contains("https://cairn.test/portal/abc", data);
    }
}
