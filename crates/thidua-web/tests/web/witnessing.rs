//! The pages show, for each event, whether a witnessed checkpoint covers it, with a link to its
//! inclusion proof: against the covering witnessed checkpoint, or against the newest signed one
//! while none covers it. Witness keys are registered through the log by the units' leaders and
//! cosignatures are posted to the public log endpoint, as `thidua witness` does; every proof
//! link's target is checked against the signed checkpoint of its size.

use thidua_domain::{Actor, Command, CovenantId, UnitId, UserId};
use thidua_ledger::{open_checkpoint, verify_inclusion, Checkpoint, CosignerKey, Verifier};

use super::support::{signed_in, spawn, spawn_witnessed, Backend, Client, TestApp};

/// One event's witnessing cell as the page shows it.
#[derive(Debug)]
struct Cell {
    index: u64,
    witnessed: bool,
    /// The tree size of the proof link.
    size: Option<u64>,
    /// The link as written in the page (`&amp;` decoded).
    href: Option<String>,
}

/// Every witnessing cell of a page, in page order.
fn cells(body: &str) -> Vec<Cell> {
    let marker = "class=\"witness\" data-index=\"";
    body.split(marker)
        .skip(1)
        .map(|chunk| {
            let end = ["</td>", "</dd>"]
                .iter()
                .filter_map(|e| chunk.find(e))
                .min()
                .unwrap_or(chunk.len());
            let chunk = &chunk[..end];
            let index = chunk[..chunk.find('"').unwrap()].parse().unwrap();
            let href = chunk.find("href=\"").map(|at| {
                let rest = &chunk[at + 6..];
                rest[..rest.find('"').unwrap()].replace("&amp;", "&")
            });
            let size = href
                .as_deref()
                .map(|h| h.rsplit("size=").next().unwrap().parse().unwrap());
            if let Some(h) = &href {
                assert_eq!(h, &format!("/record/{index}?size={}", size.unwrap()));
            }
            Cell {
                index,
                witnessed: chunk.contains("is-witnessed"),
                size,
                href,
            }
        })
        .collect()
}

fn log_verifier(app: &TestApp) -> Verifier {
    Verifier::from_key_string(app.service.key().verifier_key()).unwrap()
}

/// The log-signed checkpoint of `size`, opened with the log's key.
fn checkpoint(app: &TestApp, size: u64) -> Checkpoint {
    let stored = app.service.store().checkpoint_at(size).unwrap().unwrap();
    open_checkpoint(stored.note.as_bytes(), &[&log_verifier(app)])
        .unwrap()
        .checkpoint
}

/// Follows a proof link to the record page, which says in words that the inclusion was
/// checked and links the raw proof; checks that proof independently: the event's leaf
/// (recomputed from its stored bytes) is entry `index` of the signed tree of `size`.
fn check_proof(app: &TestApp, client: &Client, cell: &Cell) {
    let page = client.get(cell.href.as_deref().expect("a proof link"));
    assert_eq!(page.status, 200, "{}", page.body);
    let included = &page.body[page.body.find("id=\"check-included\"").unwrap()..];
    assert!(included[..included.find("</li>").unwrap()].contains("<strong>khớp</strong>"));
    let size = cell.size.unwrap();
    let raw = format!(
        "/api/v1/log/proof/inclusion?index={}&size={size}",
        cell.index
    );
    assert!(
        page.body.contains(&raw.replace('&', "&amp;")),
        "the raw proof is linked"
    );
    let href = raw.as_str();
    let r = client.get(href);
    assert_eq!(r.status, 200, "{href}: {}", r.body);
    let v = r.json();
    assert_eq!(
        (v["index"].as_u64(), v["size"].as_u64()),
        (Some(cell.index), Some(size))
    );
    let proof: Vec<[u8; 32]> = v["proof"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            hex::decode(h.as_str().unwrap())
                .unwrap()
                .try_into()
                .unwrap()
        })
        .collect();
    let entry = app
        .service
        .store()
        .entries(cell.index, cell.index + 1)
        .unwrap()
        .remove(0);
    let leaf = thidua_ledger::leaf_hash(&entry.bytes);
    let root = checkpoint(app, size).root;
    verify_inclusion(cell.index, size, &leaf, &proof, &root)
        .unwrap_or_else(|e| panic!("{href}: {e}"));
    // The same proof does not hold for another entry.
    if cell.index > 0 {
        let other = app
            .service
            .store()
            .entries(cell.index - 1, cell.index)
            .unwrap()
            .remove(0);
        assert!(verify_inclusion(
            cell.index,
            size,
            &thidua_ledger::leaf_hash(&other.bytes),
            &proof,
            &root
        )
        .is_err());
    }
}

fn newest_signed(app: &TestApp) -> u64 {
    app.service
        .store()
        .latest_checkpoint()
        .unwrap()
        .unwrap()
        .size
}

/// The witness of `unit` cosigns the newest checkpoint through the public endpoint, as
/// `thidua witness` does (anonymously). Returns the cosigned size.
fn cosign(app: &TestApp, unit: &str, key: &CosignerKey) -> u64 {
    let size = newest_signed(app);
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let line = key.cosign(&checkpoint(app, size), now).unwrap().to_line();
    let r = Client::new(&app.base).post_json(
        "/api/v1/log/cosignature",
        serde_json::json!({"unit": unit, "size": size, "cosignature": line.trim_end()}),
    );
    assert_eq!(r.status, 200, "cosignature of {unit}: {}", r.body);
    size
}

/// An Giang and Cà Mau (units that exist today, Kiên Giang having merged into An Giang on
/// 01/07/2025) register their units' witness keys through the log — An Giang's leader, and the
/// operator for Cà Mau, which has no leader account in the fixture; the keys, by unit.
pub(super) fn register_witnesses(app: &TestApp) -> Vec<(&'static str, CosignerKey)> {
    ["ca-ag", "ca-cm"]
        .into_iter()
        .map(|unit| {
            let key = CosignerKey::generate(&format!("{unit}.witness.test")).unwrap();
            let leader = match unit {
                "ca-ag" => Actor::User(UserId::parse("lanhdao-ag").unwrap()),
                _ => Actor::System,
            };
            let command = Command::RegisterWitnessKey {
                unit: UnitId::parse(unit).unwrap(),
                key: key.verifier().to_key_string(),
            };
            app.service.execute(&leader, command).unwrap();
            (unit, key)
        })
        .collect()
}

/// The leaders of An Giang and Cà Mau register their units' witness keys and both cosign
/// the newest checkpoint (the log's default quorum of one of two needs either): everything
/// logged so far is witnessed. Returns
/// the witnessed size.
pub(super) fn witness_everything(app: &TestApp) -> u64 {
    let mut size = 0;
    let keys = register_witnesses(app);
    for (unit, key) in &keys {
        size = cosign(app, unit, key);
    }
    size
}

fn covenant_hash(app: &TestApp) -> String {
    app.service
        .read()
        .covenants
        .get(&CovenantId::parse("gu-12-2024").unwrap())
        .unwrap()
        .latest()
        .hash
        .clone()
}

fn sign(app: &TestApp, actor: &Actor, unit: &str) {
    app.service
        .execute(
            actor,
            Command::SignCovenant {
                covenant: CovenantId::parse("gu-12-2024").unwrap(),
                version: 1,
                unit: UnitId::parse(unit).unwrap(),
                hash: covenant_hash(app),
            },
        )
        .unwrap();
}

/// The cell of the row `<tr id="{row}" …>` (or `<dd id="{row}">`) on the covenant page.
fn row_cell(body: &str, row: &str) -> Cell {
    let at = body
        .find(&format!("id=\"{row}\""))
        .unwrap_or_else(|| panic!("no {row}"));
    let rest = &body[at..];
    let end = ["</tr>", "</dd>"]
        .iter()
        .filter_map(|e| rest.find(e))
        .min()
        .unwrap();
    let rest = &rest[..end];
    let mut found = cells(&format!("{rest}</td>"));
    assert_eq!(found.len(), 1, "{row}: {rest}");
    found.remove(0)
}

fn scenario(app: &TestApp) {
    let admin = signed_in(app, "quantri");

    // Nothing is witnessed yet: every event links to its proof against the newest signed
    // checkpoint.
    let signed = newest_signed(app);
    let page = admin.get("/history");
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("Chưa có đơn vị nhân chứng xác nhận"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("đơn vị nhân chứng xác nhận (bản chốt"));
    let rows = cells(&page.body);
    assert!(rows.len() > 10, "{rows:?}");
    for c in &rows {
        assert!(!c.witnessed && c.size == Some(signed), "{c:?}");
    }
    check_proof(app, &admin, &rows[0]);
    check_proof(app, &admin, rows.last().unwrap());

    // The leaders of ca-ag and ca-cm register their units' witness keys through the log; a
    // leader signs the covenant. Keys alone witness nothing.
    let keys = register_witnesses(app);
    // Both are needed: a policy recorded in the log (its default, one of two, takes either).
    let policy = Command::SetWitnessPolicy {
        witnesses: keys
            .iter()
            .map(|(u, _)| UnitId::parse(u).unwrap())
            .collect(),
        quorum: 2,
    };
    app.service.execute(&Actor::System, policy).unwrap();
    sign(
        app,
        &Actor::User(UserId::parse("lanhdao-kg").unwrap()),
        "ca-kg",
    );
    let signed = newest_signed(app);
    let cov = admin.get("/covenants/gu-12-2024");
    assert_eq!(cov.status, 200);
    let kg = row_cell(&cov.body, "sig-ca-kg");
    assert!(!kg.witnessed && kg.size == Some(signed), "{kg:?}");
    assert!(cov.body.contains("Chưa có đơn vị nhân chứng xác nhận"));
    check_proof(app, &admin, &kg);
    assert!(!cov.body.contains("id=\"frozen-event\""), "not frozen yet");

    // One cosignature is below the quorum of two.
    let size = cosign(app, keys[0].0, &keys[0].1);
    let page = admin.get("/history");
    assert!(!page.body.contains("đơn vị nhân chứng xác nhận (bản chốt"));
    assert!(cells(&page.body).iter().all(|c| !c.witnessed));

    // The second witness cosigns the same checkpoint: it is witnessed, and every event it
    // covers says so, with a proof against that size.
    assert_eq!(cosign(app, keys[1].0, &keys[1].1), size);
    let page = admin.get("/history");
    let sentence = format!("Đã được 2 đơn vị nhân chứng xác nhận (bản chốt sổ {size} mục)");
    assert!(page.body.contains(&sentence), "{}", page.body);
    let rows = cells(&page.body);
    for c in &rows {
        assert!(c.index < size);
        assert!(c.witnessed && c.size == Some(size), "{c:?}");
    }
    check_proof(app, &admin, &rows[0]);
    check_proof(app, &admin, rows.last().unwrap());
    let cov = admin.get("/covenants/gu-12-2024");
    let kg = row_cell(&cov.body, "sig-ca-kg");
    assert!(kg.witnessed && kg.size == Some(size), "{kg:?}");
    assert!(cov.body.contains(&sentence));
    check_proof(app, &admin, &kg);

    // Later events (the other signatures and the freezing they bring) are not covered yet:
    // their proofs are against the newest signed checkpoint; the older ones stay witnessed.
    for unit in ["ca-ag", "ca-hg", "ca-cm", "ca-bl"] {
        sign(app, &Actor::System, unit);
    }
    let signed = newest_signed(app);
    assert!(signed > size);
    let cov = admin.get("/covenants/gu-12-2024");
    let kg = row_cell(&cov.body, "sig-ca-kg");
    assert!(kg.witnessed && kg.size == Some(size), "{kg:?}");
    for unit in ["ca-ag", "ca-bl"] {
        let c = row_cell(&cov.body, &format!("sig-{unit}"));
        assert!(
            c.index >= size && !c.witnessed && c.size == Some(signed),
            "{c:?}"
        );
        check_proof(app, &admin, &c);
    }
    let frozen = row_cell(&cov.body, "frozen-event");
    let frozen_at = app
        .service
        .read()
        .covenants
        .get(&CovenantId::parse("gu-12-2024").unwrap())
        .unwrap()
        .latest()
        .frozen_at
        .unwrap();
    assert_eq!(frozen.index, frozen_at);
    assert!(
        !frozen.witnessed && frozen.size == Some(signed),
        "{frozen:?}"
    );
    check_proof(app, &admin, &frozen);
    let page = admin.get("/history");
    let rows = cells(&page.body);
    assert!(rows.iter().any(|c| c.index >= size));
    for c in &rows {
        let expected = if c.index < size { size } else { signed };
        assert_eq!(
            (c.witnessed, c.size),
            (c.index < size, Some(expected)),
            "{c:?}"
        );
    }

    // Both witnesses cosign the newest checkpoint: the freezing is witnessed too.
    for (unit, key) in &keys {
        assert_eq!(cosign(app, unit, key), signed);
    }
    let cov = admin.get("/covenants/gu-12-2024");
    let frozen = row_cell(&cov.body, "frozen-event");
    assert!(
        frozen.witnessed && frozen.size == Some(signed),
        "{frozen:?}"
    );
    check_proof(app, &admin, &frozen);

    // In English.
    let home = admin.get("/");
    let r = admin.post_form("/lang", &[("csrf", &home.csrf()), ("to", "en")]);
    assert_eq!(r.status, 303);
    let cov = admin.get("/covenants/gu-12-2024");
    assert!(
        cov.body.contains(&format!(
            "Confirmed by 2 witness units (signed record of {signed} entries)"
        )),
        "{}",
        cov.body
    );
    let back = admin.post_form("/lang", &[("csrf", &cov.csrf()), ("to", "vi")]);
    assert_eq!(back.status, 303);
}

/// Without a witnessed checkpoint, in English: "Not yet confirmed", with the check against the
/// newest signed checkpoint.
fn not_yet_in_english(app: &TestApp) {
    let c = signed_in(app, "thuky12");
    let home = c.get("/");
    let r = c.post_form("/lang", &[("csrf", &home.csrf()), ("to", "en")]);
    assert_eq!(r.status, 303);
    let page = c.get("/history");
    assert!(
        page.body.contains("Not yet confirmed by a witness unit"),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!(
        "Check (signed record of {} entries)",
        newest_signed(app)
    )));
    let back = c.post_form("/lang", &[("csrf", &page.csrf()), ("to", "vi")]);
    assert_eq!(back.status, 303);
}

#[test]
fn pages_show_the_witnessed_checkpoint_covering_each_event_on_sqlite() {
    let app = spawn_witnessed(Backend::Sqlite).unwrap();
    not_yet_in_english(&app);
    scenario(&app);
}

#[test]
fn pages_show_the_witnessed_checkpoint_covering_each_event_on_postgres() {
    if let Some(app) = spawn_witnessed(Backend::Postgres) {
        scenario(&app);
    }
}

/// A server without witness cosignatures (`serve`, `serve_with`) shows every event as not yet
/// witnessed, with its proof against the newest signed checkpoint.
#[test]
fn without_witnessing_nothing_is_shown_as_witnessed() {
    let app = super::support::spawn(Backend::Sqlite).unwrap();
    let admin = signed_in(&app, "quantri");
    let page = admin.get("/history");
    let signed = newest_signed(&app);
    let rows = cells(&page.body);
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|c| !c.witnessed && c.size == Some(signed)));
    assert!(!page.body.contains("đơn vị nhân chứng xác nhận (bản chốt"));
}

/// `/transparency` names each witness key's unit by its name, linked to the unit's page only for
/// a viewer who may open it (issue 10: never a link answering 404); the verify command keeps the
/// units' ids.
#[test]
fn the_transparency_page_names_the_witnesses_units() {
    let app = spawn_witnessed(Backend::Sqlite).unwrap();
    witness_everything(&app);
    let anonymous = Client::new(&app.base).get("/transparency");
    // Cluster No. 13's officer does not see Cluster No. 12's units: names, no links.
    let foreign = signed_in(&app, "canbo-dt").get("/transparency");
    let member = signed_in(&app, "lanhdao-ag").get("/transparency");
    for (page, signed_in) in [(anonymous, false), (foreign, false), (member, true)] {
        assert_eq!(page.status, 200);
        assert!(!page.body.contains("id=\"witness-demo\""), "real keys");
        let start = page.body.find("id=\"witness-keys\"").expect("the table");
        let end = start + page.body[start..].find("</table>").unwrap();
        let table = &page.body[start..end];
        for (id, name) in [
            ("ca-ag", "Công an tỉnh An Giang"),
            ("ca-cm", "Công an tỉnh Cà Mau"),
        ] {
            // A visitor who is not signed in, or a member who does not see the unit, gets the
            // name without a link to a page it cannot open.
            let cell = if signed_in {
                format!("<th scope=\"row\"><a href=\"/units/{id}\" lang=\"vi\">{name}</a></th>")
            } else {
                format!("<th scope=\"row\"><span lang=\"vi\">{name}</span></th>")
            };
            assert!(table.contains(&cell), "{table}");
            assert!(!table.contains(&format!("<code>{id}</code>")), "{table}");
            assert!(
                page.body.contains(&format!("--witness {id}=")),
                "the command keeps the id"
            );
        }
    }
}

/// Registers a fresh witness key for `unit` as the operator (`Actor::System`, who holds every
/// office), as another cluster's leader would.
fn register_as_operator(app: &TestApp, unit: &str) {
    let key = CosignerKey::generate(&format!("{unit}.witness.test")).unwrap();
    let command = Command::RegisterWitnessKey {
        unit: UnitId::parse(unit).unwrap(),
        key: key.verifier().to_key_string(),
    };
    app.service.execute(&Actor::System, command).unwrap();
}

/// The witness set and quorum that `user` finds by replaying the part of the log it may read
/// (`/api/v1/log/entries`' rule), as `thidua verify` with its token does.
fn quorum_read_by(app: &TestApp, user: &str) -> (Vec<String>, u32) {
    let c = signed_in(app, user);
    let mut headers = axum::http::HeaderMap::new();
    let cookie = format!("thidua_session={}", c.cookie("thidua_session").unwrap());
    headers.insert("cookie", cookie.parse().unwrap());
    let reader = thidua_web::event_reader(&*app.accounts, &headers);
    let full = app.service.read().clone();
    let mut state = thidua_domain::State::default();
    for entry in app.service.store().entries(0, full.size).unwrap() {
        let event = thidua_domain::Event::decode(entry.index, &entry.bytes).unwrap();
        if reader(&full, &event) {
            state.apply_readable(&event).unwrap();
        }
    }
    let in_force = thidua_transparency::cosign::witness_set(&state);
    (
        in_force.keys.iter().map(|(u, _)| u.to_string()).collect(),
        in_force.required,
    )
}

/// Issue 10: the leader of a unit merged away cannot register a witness key; keys registered
/// later (by Cluster No. 13's units) raise the quorum only for later checkpoints, so the
/// witnessed checkpoint stays witnessed on the public endpoint and on `/transparency`; a member
/// replaying what it may read finds the public endpoint's quorum; and the page links only the
/// units the viewer may open.
#[test]
fn a_later_witness_key_never_unwitnesses_the_log() {
    let app = spawn_witnessed(Backend::Sqlite).unwrap();
    let witnessed = witness_everything(&app);
    let kg = signed_in(&app, "lanhdao-kg");
    let key = CosignerKey::generate("ca-kg.witness.test").unwrap();
    let r = kg.post_json(
        "/api/v1/commands",
        serde_json::json!({"command": "register_witness_key", "unit": "ca-kg",
            "key": key.verifier().to_key_string()}),
    );
    assert_eq!(r.json()["error"], "unit_dissolved", "{}", r.body);
    for unit in ["ca-dt", "ca-vl"] {
        register_as_operator(&app, unit);
    }
    let anonymous = Client::new(&app.base);
    let public = anonymous.get("/api/v1/log/witnessed");
    assert_eq!(public.status, 200, "{}", public.body);
    assert_eq!(public.header("x-witness-quorum"), Some("1"));
    assert_eq!(
        public.body.lines().nth(1),
        Some(witnessed.to_string().as_str())
    );
    // The next checkpoints need three of the four keys, for every reader.
    let list = anonymous.get("/api/v1/log/witnesses").json();
    assert_eq!(list["quorum"], 3, "{list}");
    for user in ["lanhdao-ag", "canbo-dt"] {
        let (set, quorum) = quorum_read_by(&app, user);
        assert_eq!((set.len(), quorum), (4, 3), "{user}: {set:?}");
    }
    let page = signed_in(&app, "lanhdao-ag").get("/transparency");
    assert_eq!(page.status, 200);
    assert!(
        !page
            .body
            .contains("Chưa có bản chốt sổ nào được đủ số nhân chứng xác nhận"),
        "{}",
        page.body
    );
    assert!(page.body.contains("<a href=\"/units/ca-ag\""));
    assert!(page.body.contains("Công an tỉnh Đồng Tháp"));
    assert!(
        !page.body.contains("href=\"/units/ca-dt\""),
        "another cluster's unit"
    );
}

/// The administrator records the witness policy from the record's page: the registered witness
/// units ticked and the cosignatures needed; the page then says the policy in force, and a
/// quorum that cannot be met is refused beside its field, with nothing recorded.
#[test]
fn the_witness_policy_is_recorded_from_the_admin_page() {
    let app = spawn(Backend::Sqlite).unwrap();
    register_witnesses(&app);
    let admin = signed_in(&app, "quantri");
    let page = admin.get("/admin/log");
    assert!(
        page.body.contains("Chưa ghi chính sách nào"),
        "{}",
        page.body
    );
    let csrf = page.csrf();
    let size = app.service.read().state.size;
    let r = admin.post_form(
        "/admin/witness-policy",
        &[("csrf", &csrf), ("w_ca-cm", "1"), ("quorum", "3")],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    let error = super::support::element_text(&r.body, "policy-quorum-error", "p");
    assert_eq!(
        error,
        "Số chữ ký cần có phải từ 1 đến 1 (số đơn vị nhân chứng đã chọn)."
    );
    // The form comes back as sent: the unit ticked stays ticked, the other does not.
    assert!(r
        .body
        .contains("id=\"w-ca-cm\" name=\"w_ca-cm\" value=\"1\" checked"));
    assert!(!r
        .body
        .contains("id=\"w-ca-ag\" name=\"w_ca-ag\" value=\"1\" checked"));
    let r = admin.post_form("/admin/witness-policy", &[("csrf", &csrf), ("quorum", "1")]);
    let error = super::support::element_text(&r.body, "policy-quorum-error", "p");
    assert_eq!(error, "Hãy chọn ít nhất một đơn vị nhân chứng.");
    assert_eq!(app.service.read().state.size, size, "nothing recorded");
    let r = admin.post_form(
        "/admin/witness-policy",
        &[
            ("csrf", &csrf),
            ("w_ca-cm", "1"),
            ("w_ca-ag", "1"),
            ("quorum", "2"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let policy = app.service.read().state.witness_policy.clone().unwrap();
    assert_eq!((policy.witnesses.len(), policy.quorum), (2, 2));
    let page = admin.get("/admin/log");
    assert!(
        page.body
            .contains("khi có 2 trong 2 đơn vị được đánh dấu dưới đây ký"),
        "{}",
        page.body
    );
    assert!(page
        .body
        .contains("id=\"w-ca-cm\" name=\"w_ca-cm\" value=\"1\" checked"));
    // Only an administrator records it.
    let officer = signed_in(&app, "lanhdao-kg");
    let csrf = officer.get("/account").csrf();
    let r = officer.post_form(
        "/admin/witness-policy",
        &[("csrf", &csrf), ("w_ca-kg", "1"), ("quorum", "1")],
    );
    assert_eq!(r.status, 403);
}

/// A log of two provincial police in Cluster No. 12, both with witness keys and a policy
/// needing both, then the merger of Kiên Giang into An Giang (effective 01/07/2025); an
/// administrator, and Đồng Tháp's leader in Cluster No. 13, who does not see either unit.
fn merged_witness_log(app: &TestApp) {
    use thidua_domain::model::{LineageChange, LineageKind, Role};
    let text = |s: &str| thidua_domain::Text::parse("t", s, 500).unwrap();
    let unit = |s: &str| UnitId::parse(s).unwrap();
    let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let mut cmds = super::support::provincial_police(&[
        ("ca-kg", "Công an tỉnh Kiên Giang", "KG"),
        ("ca-ag", "Công an tỉnh An Giang", "AG"),
        ("ca-dt", "Công an tỉnh Đồng Tháp", "ĐT"),
        ("ca-vl", "Công an tỉnh Vĩnh Long", "VL"),
    ]);
    for (cluster, name, members) in [
        ("cum-12", "Cụm thi đua số 12", vec!["ca-kg", "ca-ag"]),
        ("cum-13", "Cụm thi đua số 13", vec!["ca-dt", "ca-vl"]),
    ] {
        let cluster = thidua_domain::ClusterId::parse(cluster).unwrap();
        cmds.push(Command::CreateCluster {
            cluster: cluster.clone(),
            name: text(name),
        });
        cmds.push(Command::SetClusterYear {
            cluster,
            year: 2024,
            members: members.into_iter().map(unit).collect(),
        });
    }
    for (user, role) in [
        ("quantri", Role::Admin),
        (
            "lanhdao-dt",
            Role::Leader {
                unit: unit("ca-dt"),
            },
        ),
    ] {
        let user = UserId::parse(user).unwrap();
        cmds.push(Command::RegisterUser {
            user: user.clone(),
            display_name: text("Người thử nghiệm"),
            demo: true,
        });
        cmds.push(Command::GrantRole { user, role });
    }
    for id in ["ca-kg", "ca-ag"] {
        let key = CosignerKey::generate(&format!("{id}.witness.test")).unwrap();
        cmds.push(Command::RegisterWitnessKey {
            unit: unit(id),
            key: key.verifier().to_key_string(),
        });
    }
    cmds.push(Command::SetWitnessPolicy {
        witnesses: vec![unit("ca-kg"), unit("ca-ag")],
        quorum: 2,
    });
    cmds.push(Command::RecordLineage {
        change: LineageChange {
            kind: LineageKind::Merge,
            predecessors: vec![unit("ca-kg"), unit("ca-ag")],
            successors: vec![unit("ca-ag")],
            effective: day(2025, 7, 1),
            decision: text("Nghị quyết 202/2025/QH15"),
        },
    });
    app.service.execute_all(&Actor::System, cmds).unwrap();
    for user in ["quantri", "lanhdao-dt"] {
        thidua_web::accounts::set_password(
            &*app.accounts,
            &app.service,
            &UserId::parse(user).unwrap(),
            super::support::PASSWORD,
        )
        .unwrap();
    }
}

/// Once Kiên Giang merged into An Giang, its witness key no longer counts: `/transparency` and
/// `/admin/log` say so with the day it ceased, say loudly that the recorded quorum (two) can no
/// longer be met, and the policy form no longer offers Kiên Giang; a member of another cluster,
/// who sees neither unit, replays the merger too and finds the public quorum.
#[test]
fn a_ceased_units_witness_key_is_shown_not_to_count_and_the_quorum_unmeetable() {
    let app = super::support::spawn_with(Backend::Sqlite, false).unwrap();
    merged_witness_log(&app);
    let ceased = "Không còn được tính: đơn vị ngừng tồn tại ngày 01/07/2025.";
    let page = Client::new(&app.base).get("/transparency");
    assert_eq!(page.status, 200);
    let table = &page.body[page.body.find("id=\"witness-keys\"").unwrap()..];
    let kg = &table[table.find("Kiên Giang").unwrap()..];
    let kg_row = &kg[..kg.find("</tr>").unwrap()];
    assert!(kg_row.contains(ceased), "{kg_row}");
    let notice = super::support::element_text(&page.body, "witness-unmeetable", "p");
    assert!(
        notice.starts_with("Không thể đủ nhân chứng: chính sách cần 2 chữ ký đồng ký nhưng chỉ còn 1 nhân chứng được tính"),
        "{notice}"
    );
    assert!(
        !page.body.contains("--witness ca-kg="),
        "the command trusts ca-ag only"
    );

    let admin = signed_in(&app, "quantri").get("/admin/log");
    assert_eq!(admin.status, 200);
    assert!(admin.body.contains(ceased), "{}", admin.body);
    let notice = super::support::element_text(&admin.body, "policy-unmeetable", "p");
    assert!(
        notice.contains("cho đến khi ghi một chính sách nhân chứng mới"),
        "{notice}"
    );
    assert!(
        !admin.body.contains("name=\"w_ca-kg\""),
        "a ceased unit is not offered"
    );
    assert!(admin.body.contains("name=\"w_ca-ag\""));

    let public = thidua_transparency::cosign::witness_set(&app.service.read());
    assert_eq!((public.keys.len(), public.required), (1, 2));
    let (set, quorum) = quorum_read_by(&app, "lanhdao-dt");
    assert_eq!((set, quorum), (vec!["ca-ag".to_owned()], 2));
}
