using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Cairn.Server.Webhooks;

/// <summary>
/// <c>Cairn:Webhooks:AllowedHosts</c> parsed: host names (matched without regard to case), IP
/// addresses and CIDR ranges that webhooks may reach although <see cref="WebhookAddresses"/> would refuse them.
/// </summary>
public sealed class AllowList
{
    private readonly HashSet<string> _hosts;
    private readonly List<IPNetwork> _networks;

    private AllowList(HashSet<string> hosts, List<IPNetwork> networks)
    {
        _hosts = hosts;
        _networks = networks;
    }

    /// <summary>Parses the comma-separated setting; false with the first bad entry.</summary>
    public static bool TryParse(string? setting, out AllowList list, out string? bad)
    {
        var hosts = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var networks = new List<IPNetwork>();
        list = new AllowList(hosts, networks);
        bad = null;
        foreach (var entry in (setting ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (IPAddress.TryParse(entry.Trim('[', ']'), out var address))
                networks.Add(new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128));
            else if (entry.Contains('/') && IPNetwork.TryParse(entry, out var network))
                networks.Add(network);
            else if (Uri.CheckHostName(entry) == UriHostNameType.Dns)
                hosts.Add(entry);
            else
            {
                bad = entry;
                return false;
            }
        }

        return true;
    }

    /// <summary>Whether the URL's host is listed by name or as an address.</summary>
    public bool Permits(string host) =>
        _hosts.Contains(host) || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && Permits(address));

    /// <summary>Whether an address lies in a listed address or range.</summary>
    public bool Permits(IPAddress address)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return _networks.Any(n => n.Contains(plain));
    }
}

/// <summary>
/// The guard against server-side request forgery: a webhook URL may not reach loopback,
/// link-local, private (RFC 1918, ULA), CGNAT, multicast, reserved or unspecified addresses unless
/// <c>Cairn:Webhooks:AllowedHosts</c> permits them. Asked when an endpoint is saved (every address
/// the host resolves to) and again when delivering, where the connection goes to the address that
/// was checked (<see cref="ConnectAsync"/>), so a name that resolves differently later gains nothing.
/// </summary>
public sealed class WebhookAddresses(IOptions<CairnOptions> options)
{
    private static readonly IPNetwork[] Refused =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"), IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"), IPNetwork.Parse("192.168.0.0/16"), IPNetwork.Parse("224.0.0.0/4"),
        IPNetwork.Parse("240.0.0.0/4"), IPNetwork.Parse("::/128"), IPNetwork.Parse("::1/128"), IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("fec0::/10"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("ff00::/8"),
    ];

    private readonly AllowList _allowed = AllowList.TryParse(options.Value.Webhooks.AllowedHosts, out var list, out _) ? list : throw new OptionsValidationException(CairnOptions.Section, typeof(CairnOptions), ["Cairn:Webhooks:AllowedHosts is invalid."]);

    /// <summary>Whether an address is one webhooks never reach on their own (loopback, private …).</summary>
    public static bool IsInternal(IPAddress address)
    {
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return Refused.Any(n => n.BaseAddress.AddressFamily == plain.AddressFamily && n.Contains(plain));
    }

    /// <summary>Whether the host may be reached over plain http (only allow-listed hosts may).</summary>
    public bool AllowsPlainHttp(string host) => _allowed.Permits(host);

    /// <summary>The addresses of a host that a webhook may connect to, in the resolver's order; empty when none may.</summary>
    /// <exception cref="SocketException">The name does not resolve.</exception>
    public async Task<IReadOnlyList<IPAddress>> PermittedAsync(string host, CancellationToken cancellationToken)
    {
        var bare = host.Trim('[', ']');
        var addresses = IPAddress.TryParse(bare, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(bare, cancellationToken);
        var hostAllowed = _allowed.Permits(host);
        return addresses.Where(a => hostAllowed || _allowed.Permits(a) || !IsInternal(a)).ToList();
    }

    /// <summary>
    /// The connection of a webhook request (<see cref="SocketsHttpHandler.ConnectCallback"/>): resolves the
    /// host, keeps the permitted addresses and connects to the first that answers. Throws
    /// <see cref="WebhookAddressRefusedException"/> when the host has no permitted address.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var permitted = await PermittedAsync(endpoint.Host, cancellationToken);
        if (permitted.Count == 0)
            throw new WebhookAddressRefusedException(endpoint.Host);
        Exception? last = null;
        foreach (var address in permitted)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, endpoint.Port), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
        }

        throw last!;
    }
}

/// <summary>A webhook's host resolves only to addresses the SSRF guard refuses.</summary>
public sealed class WebhookAddressRefusedException(string host)
    : HttpRequestException($"{host} resolves only to loopback, link-local, private or other internal addresses, which webhooks may not reach (Cairn:Webhooks:AllowedHosts).");
