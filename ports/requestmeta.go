package ports

import (
	"context"
	"net/netip"
)

// RequestMeta is what the transport knows about the caller, recorded in
// activities.
type RequestMeta struct {
	IP        string
	UserAgent string
	// Locale is the client's first choice of language (Accept-Language),
	// a canonical BCP 47 tag, or "" when it named none usable. A new
	// account starts in it.
	Locale string
}

type requestMetaKey struct{}

// WithRequestMeta attaches m to ctx.
func WithRequestMeta(ctx context.Context, m RequestMeta) context.Context {
	return context.WithValue(ctx, requestMetaKey{}, m)
}

// RequestMetaFrom returns the caller's metadata, zero when unknown.
func RequestMetaFrom(ctx context.Context) RequestMeta {
	m, _ := ctx.Value(requestMetaKey{}).(RequestMeta)
	return m
}

// ClientKey names the client a rate limit counts against: its IPv4
// address, or its IPv6 /64 (one subscriber's network; counting single IPv6
// addresses would let anyone rotate through 2^64 of them).
func ClientKey(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return "unknown"
	}
	addr = addr.Unmap()
	if addr.Is6() {
		return netip.PrefixFrom(addr, 64).Masked().String()
	}
	return addr.String()
}
