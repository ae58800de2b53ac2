//! Who may send a write at all, judged from its path before its fields are parsed: the thing the
//! path names (a covenant, a unit's report, a cluster, a vote, a unit) must exist and be
//! visible to the caller, else the answer is "not found", as for a missing thing; and the
//! caller must hold a role that could act on it (an administrator, the cluster's secretariat,
//! an officer or leader of a unit that belongs or belonged to the cluster, of the report's own
//! unit for a report), else "refused". Only then are the fields read and the action decided
//! exactly (`thidua_domain::decide`). So a refusal never depends on the fields sent, and a
//! form's validation never tells someone without the right what the form wants or what the
//! cluster holds. The gate refuses nothing `decide` would allow: every write event needs
//! administration, the cluster's secretariat or a role in a unit (`thidua_domain::authz`).

use thidua_domain::{ClusterId, CovenantId, ElectionId, State, UnitId};

use super::Scope;
use crate::error::ApiError;

/// What a write's route names, read from its pattern (`/covenants/{id}/sign`) and its path.
#[derive(Debug, PartialEq, Eq)]
pub enum Named<'a> {
    /// Anyone signed in may send it (their own session, account and tokens), or its body names
    /// what it acts on (`/api/v1/commands`) and the answer comes after it is read.
    Open,
    /// The installation's set-up: users, roles, units, clusters, movements, holidays.
    Installation,
    Covenant(&'a str),
    /// A unit's report under a covenant.
    Report {
        covenant: &'a str,
        unit: &'a str,
    },
    Cluster(&'a str),
    Election(&'a str),
    /// A unit's name and lineage (set-up).
    Unit(&'a str),
}

/// Routes open to anyone (after the optional `/api/v1` prefix): a prefix ending in `/`, or a
/// whole route.
const OPEN: &[&str] = &[
    "/login",
    "/logout",
    "/lang",
    "/bootstrap",
    "/account/",
    "/me/",
    "/commands",
    "/commands/",
    "/log/",
];

impl<'a> Named<'a> {
    /// What `pattern` (the route as declared) names in `path` (the request's path). A pattern
    /// the gate does not know is open: its handler authorises it.
    pub fn of(pattern: &str, path: &'a str) -> Named<'a> {
        let param = |name: &str| {
            pattern
                .split('/')
                .zip(path.split('/'))
                .find(|(p, _)| *p == name)
                .map(|(_, value)| value)
        };
        let route = pattern.strip_prefix("/api/v1").unwrap_or(pattern);
        let open = OPEN.iter().any(|o| match o.strip_suffix('/') {
            Some(prefix) => route.starts_with(o) || route == prefix,
            None => route == *o,
        });
        if open {
            return Named::Open;
        }
        let first = route.split('/').nth(1).unwrap_or("");
        if matches!(first, "admin" | "users") {
            return Named::Installation;
        }
        let Some(id) = param("{id}") else {
            return Named::Open;
        };
        match (first, param("{unit}")) {
            ("covenants", Some(unit)) => Named::Report { covenant: id, unit },
            ("covenants", None) => Named::Covenant(id),
            ("clusters", _) => Named::Cluster(id),
            ("elections", _) => Named::Election(id),
            ("units", _) => Named::Unit(id),
            _ => Named::Open,
        }
    }
}

impl Scope {
    /// Whether this caller may send a write on `named` (see the module): `Ok`, or the answer
    /// to give before the body is parsed (404 for what the caller may not see, 403 for what it
    /// sees but holds no role in). A path segment that is not an id at all goes on to the
    /// handler, which says so.
    pub fn may_write(&self, state: &State, named: &Named<'_>) -> Result<(), ApiError> {
        match *named {
            Named::Open => Ok(()),
            Named::Installation => self.admin_only(),
            Named::Unit(id) => match UnitId::parse(id) {
                Ok(unit) if !self.can_view_unit(state, &unit) => Err(ApiError::not_found()),
                Ok(unit) if !state.units.contains_key(&unit) => Err(ApiError::not_found()),
                _ => self.admin_only(),
            },
            Named::Cluster(id) => match ClusterId::parse(id) {
                Ok(cluster) => self.acts_in(state, &cluster),
                Err(_) => Ok(()),
            },
            Named::Covenant(id) => match CovenantId::parse(id) {
                Ok(covenant) => self.acts_on_covenant(state, &covenant).map(|_| ()),
                Err(_) => Ok(()),
            },
            Named::Report { covenant, unit } => {
                let (Ok(covenant), Ok(unit)) = (CovenantId::parse(covenant), UnitId::parse(unit))
                else {
                    return Ok(());
                };
                let cluster = self.acts_on_covenant(state, &covenant)?;
                if self.manages(&cluster) || self.own_units().contains(&unit) {
                    Ok(())
                } else {
                    Err(ApiError::forbidden())
                }
            }
            Named::Election(id) => match ElectionId::parse(id) {
                Ok(election) => match state.elections.get(&election) {
                    Some(e) => self.acts_in(state, &e.cluster),
                    None => Err(ApiError::not_found()),
                },
                Err(_) => Ok(()),
            },
        }
    }

    fn admin_only(&self) -> Result<(), ApiError> {
        if self.is_admin() {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }

    /// [`Self::acts_in`] the covenant's cluster; the cluster.
    fn acts_on_covenant(
        &self,
        state: &State,
        covenant: &CovenantId,
    ) -> Result<ClusterId, ApiError> {
        let cluster = state
            .covenants
            .get(covenant)
            .map(|c| c.cluster.clone())
            .ok_or_else(ApiError::not_found)?;
        self.acts_in(state, &cluster)?;
        Ok(cluster)
    }

    /// The cluster exists and is visible (else 404), and the caller manages it or works for a
    /// unit that belongs or belonged to it (else 403).
    fn acts_in(&self, state: &State, cluster: &ClusterId) -> Result<(), ApiError> {
        let Some(c) = state.clusters.get(cluster) else {
            return Err(ApiError::not_found());
        };
        if !self.can_view_cluster(state, cluster) {
            return Err(ApiError::not_found());
        }
        let own = self.own_units();
        let member = c
            .years
            .values()
            .any(|y| y.members.iter().any(|m| own.contains(m)));
        if self.manages(cluster) || member {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Named;

    #[test]
    fn a_route_names_what_its_path_holds() {
        let report = Named::Report {
            covenant: "gu-1",
            unit: "ca-kg",
        };
        let cases = [
            (
                "/covenants/{id}/sign",
                "/covenants/gu-1/sign",
                Named::Covenant("gu-1"),
            ),
            (
                "/api/v1/covenants/{id}/figures/{unit}/{window}",
                "/api/v1/covenants/gu-1/figures/ca-kg/M01",
                report,
            ),
            (
                "/clusters/{id}/members",
                "/clusters/c-1/members",
                Named::Cluster("c-1"),
            ),
            (
                "/elections/{id}/tie",
                "/elections/b-1/tie",
                Named::Election("b-1"),
            ),
            (
                "/units/{id}/rename",
                "/units/ca-kg/rename",
                Named::Unit("ca-kg"),
            ),
            ("/admin/users", "/admin/users", Named::Installation),
            (
                "/admin/users/{id}/tokens/revoke",
                "/admin/users/x/tokens/revoke",
                Named::Installation,
            ),
            (
                "/api/v1/users/{id}/roles",
                "/api/v1/users/x/roles",
                Named::Installation,
            ),
            ("/api/v1/users", "/api/v1/users", Named::Installation),
            ("/api/v1/me/tokens/{id}", "/api/v1/me/tokens/7", Named::Open),
            ("/account/password", "/account/password", Named::Open),
            ("/api/v1/commands", "/api/v1/commands", Named::Open),
            (
                "/api/v1/commands/binding",
                "/api/v1/commands/binding",
                Named::Open,
            ),
            (
                "/api/v1/log/cosignature",
                "/api/v1/log/cosignature",
                Named::Open,
            ),
            ("/logout", "/logout", Named::Open),
            ("/login", "/login", Named::Open),
        ];
        for (pattern, path, want) in cases {
            assert_eq!(Named::of(pattern, path), want, "{pattern}");
        }
    }
}
