//! Who is asking: the client's address and whether the request came over HTTPS. The
//! `X-Forwarded-For` and `X-Forwarded-Proto` headers are believed only when the TCP peer is one
//! of the configured reverse proxies ([`crate::WebConfig::trusted_proxies`]); from anyone else
//! they are ignored, so a client cannot choose the address it is throttled under.

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::request::Parts;
use axum::http::HeaderMap;

use crate::AppState;

/// The client of a request, as far as the server can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientInfo {
    pub address: IpAddr,
    /// A trusted proxy says the client used HTTPS.
    pub https: bool,
}

impl ClientInfo {
    /// The client behind `peer`, reading forwarded headers only from `trusted` proxies.
    pub fn from_peer(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> Self {
        let from_proxy = trusted.contains(&peer);
        Self {
            address: if from_proxy {
                forwarded_client(peer, headers, trusted)
            } else {
                peer
            },
            https: from_proxy && forwarded_proto_https(headers),
        }
    }
}

/// Walks `X-Forwarded-For` from the right (the hop nearest to us) past trusted proxies; the
/// first address not a trusted proxy is the client. A malformed hop stops the walk there.
fn forwarded_client(peer: IpAddr, headers: &HeaderMap, trusted: &[IpAddr]) -> IpAddr {
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let mut client = peer;
    for hop in hops.iter().rev() {
        if !trusted.contains(&client) {
            break;
        }
        match parse_hop(hop) {
            Some(ip) => client = ip,
            None => break,
        }
    }
    client
}

fn parse_hop(hop: &str) -> Option<IpAddr> {
    hop.parse::<IpAddr>()
        .ok()
        .or_else(|| hop.parse::<SocketAddr>().ok().map(|s| s.ip()))
}

fn forwarded_proto_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

impl FromRequestParts<AppState> for ClientInfo {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self::of(&parts.extensions, &parts.headers, app))
    }
}

impl ClientInfo {
    /// The client of a request, from its connection (`extensions`) and `headers`. Without
    /// connection information (a router used without a socket) the peer is unknown.
    pub fn of(extensions: &axum::http::Extensions, headers: &HeaderMap, app: &AppState) -> Self {
        let peer = extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::from([0, 0, 0, 0]), |c| c.0.ip());
        Self::from_peer(peer, headers, &app.config.trusted_proxies)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, v.parse().unwrap());
        }
        h
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn forwarded_headers_from_a_stranger_are_ignored() {
        let h = headers(&[
            ("x-forwarded-for", "9.9.9.9"),
            ("x-forwarded-proto", "https"),
        ]);
        let c = ClientInfo::from_peer(ip("203.0.113.7"), &h, &[ip("10.0.0.1")]);
        assert_eq!(c.address, ip("203.0.113.7"));
        assert!(!c.https);
    }

    #[test]
    fn a_trusted_proxy_names_the_client() {
        let proxy = ip("10.0.0.1");
        let h = headers(&[
            ("x-forwarded-for", "1.1.1.1, 198.51.100.4"),
            ("x-forwarded-proto", "https"),
        ]);
        let c = ClientInfo::from_peer(proxy, &h, &[proxy]);
        assert_eq!(
            c.address,
            ip("198.51.100.4"),
            "the hop the proxy saw, not a forged one"
        );
        assert!(c.https);
    }

    #[test]
    fn chained_trusted_proxies_are_walked() {
        let (outer, inner) = (ip("10.0.0.2"), ip("10.0.0.1"));
        let h = headers(&[("x-forwarded-for", "7.7.7.7, 198.51.100.4:5555, 10.0.0.2")]);
        let c = ClientInfo::from_peer(inner, &h, &[inner, outer]);
        assert_eq!(c.address, ip("198.51.100.4"));
        let junk = headers(&[("x-forwarded-for", "not-an-address")]);
        assert_eq!(
            ClientInfo::from_peer(inner, &junk, &[inner]).address,
            inner,
            "a malformed hop stops at the proxy"
        );
    }
}
