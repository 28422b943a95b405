using System.Net;
using System.Net.Sockets;

namespace GraphNotifications.Api.Subscriptions;

/// <summary>
/// Which addresses a webhook may reach: the public internet only, unless configuration allows the rest. Loopback,
/// private (RFC 1918, IPv6 unique local), shared (RFC 6598), link-local (where clouds serve instance metadata,
/// 169.254.169.254), unspecified, multicast and broadcast addresses name the service's own machine or network.
/// IPv4 addresses inside IPv6 (mapped, compatible, NAT64, 6to4) are judged as the IPv4 address they carry.
/// </summary>
public static class AddressRules
{
    /// <summary>Why <paramref name="address"/> is refused, or null when it is a public address.</summary>
    public static string? WhyRefused(IPAddress address)
    {
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && EmbeddedIPv4(address) is { } inner)
        {
            return WhyRefused(inner);
        }

        if (IPAddress.IsLoopback(address))
        {
            return "a loopback address";
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            byte[] b = address.GetAddressBytes();
            return b switch
            {
                [0, ..] => "an unspecified (0.0.0.0/8) address",
                [10, ..] or [172, >= 16 and <= 31, ..] or [192, 168, ..] => "a private address",
                [100, >= 64 and <= 127, ..] => "a shared (carrier-grade NAT) address",
                [169, 254, ..] => "a link-local address",
                [192, 0, 0, ..] => "an IETF protocol assignment address",
                [198, 18 or 19, ..] => "a benchmarking address",
                [>= 224, ..] => "a multicast, reserved or broadcast address",
                _ => null,
            };
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            byte[] b = address.GetAddressBytes();
            return address switch
            {
                _ when address.Equals(IPAddress.IPv6None) => "an unspecified address",
                _ when address.IsIPv6LinkLocal => "a link-local address",
                _ when address.IsIPv6SiteLocal => "a site-local address",
                _ when address.IsIPv6UniqueLocal => "a private (unique local) address",
                _ when address.IsIPv6Multicast => "a multicast address",
                _ when b[0] == 0x01 && b[1] == 0 && b.Skip(2).Take(6).All(x => x == 0) => "a discard-only address",
                _ => null,
            };
        }

        return "not an IP address";
    }

    /// <summary>The IPv4 address an IPv6 address carries, if it is one of the forms that route to IPv4.</summary>
    private static IPAddress? EmbeddedIPv4(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4();
        }

        byte[] b = address.GetAddressBytes();
        // ::a.b.c.d (IPv4-compatible, deprecated but still parsed by stacks) — not :: or ::1 themselves.
        if (b.Take(12).All(x => x == 0) && !(b[12] == 0 && b[13] == 0 && b[14] == 0 && b[15] <= 1))
        {
            return new IPAddress(b[12..16]);
        }

        // 64:ff9b::/96, NAT64's well-known prefix.
        if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b && b.Skip(4).Take(8).All(x => x == 0))
        {
            return new IPAddress(b[12..16]);
        }

        // 2002::/16, 6to4: the IPv4 address follows the prefix.
        if (b[0] == 0x20 && b[1] == 0x02)
        {
            return new IPAddress(b[2..6]);
        }

        return null;
    }
}
