//! The administrator's "Thêm đơn vị" form and the cluster membership form: a unit stands under
//! a parent of the kind above its own, chosen from a list; a refused form comes back with what
//! was typed and each message beside its own field, in Vietnamese; a cluster's membership form
//! offers only the units that can join it (the kind its members are).

use super::support::{signed_in, Client, Resp, TestApp};

macro_rules! scenarios {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[test]
            fn $name() {
                super::$name(&super::super::support::spawn(super::super::support::Backend::Sqlite).unwrap());
            })*
        }
        mod postgres {
            $(#[test]
            fn $name() {
                if let Some(app) = super::super::support::spawn(super::super::support::Backend::Postgres) {
                    super::$name(&app);
                }
            })*
        }
    };
}

scenarios!(
    admin_unit_parent_fits_its_kind,
    admin_unit_form_keeps_what_was_typed,
    admin_cluster_members_of_one_kind,
    a_mistaken_merger_is_withdrawn_from_the_unit_page,
    a_signed_year_whose_member_merged_away_is_carried_on_by_its_successor,
);

/// The text of the element whose id is `id` (up to its closing tag), or "" when none has it.
fn element(r: &Resp, id: &str) -> String {
    let marker = format!("id=\"{id}\"");
    let Some(at) = r.body.find(&marker) else {
        return String::new();
    };
    let rest = &r.body[at..];
    let start = rest.find('>').map_or(0, |i| i + 1);
    let end = rest.find("</").unwrap_or(rest.len());
    rest[start..end.max(start)].to_owned()
}

/// The new unit form's parent list (the `<select>` and its options).
fn parent_list(r: &Resp) -> String {
    let at = r.body.find("id=\"nn-parent\"").expect("the parent list");
    let rest = &r.body[at..];
    rest[..rest.find("</select>").expect("its end")].to_owned()
}

fn new_unit(c: &Client, csrf: &str, fields: &[(&str, &str)]) -> Resp {
    let mut form = vec![("csrf", csrf)];
    form.extend_from_slice(fields);
    c.post_form("/admin/units", &form)
}

/// The Ministry, two of its departments and a ward of An Giang, through the form.
fn hierarchy(c: &Client, csrf: &str) {
    for fields in [
        [
            ("id", "bo-ca"),
            ("name", "Bộ Công an"),
            ("short_code", "BCA"),
            ("kind", "ministry"),
            ("parent", ""),
            ("established", "19/08/1945"),
        ],
        [
            ("id", "cuc-x01"),
            ("name", "Cục Công tác đảng và công tác chính trị"),
            ("short_code", "X01"),
            ("kind", "ministry_department"),
            ("parent", "bo-ca"),
            ("established", "01/08/2018"),
        ],
        [
            ("id", "cuc-x02"),
            ("name", "Cục Tổ chức cán bộ"),
            ("short_code", "X02"),
            ("kind", "ministry_department"),
            ("parent", "bo-ca"),
            ("established", "01/08/2018"),
        ],
        [
            ("id", "ca-p-long-xuyen"),
            ("name", "Công an phường Long Xuyên"),
            ("short_code", "LX"),
            ("kind", "commune_police"),
            ("parent", "ca-ag"),
            ("established", "01/07/2025"),
        ],
    ] {
        let r = new_unit(c, csrf, &fields);
        assert_eq!(r.status, 303, "{fields:?}: {}", r.body);
    }
}

/// A unit of each kind stands under a parent of the kind above it; every other placement is
/// refused beside the parent list with a sentence saying where such a unit stands, and nothing
/// is created. The list offers only active units that may be parents, grouped by kind.
fn admin_unit_parent_fits_its_kind(app: &TestApp) {
    let c = signed_in(app, "quantri");
    let csrf = c.get("/admin/units").csrf();
    hierarchy(&c, &csrf);
    let page = c.get("/admin/units");
    let list = parent_list(&page);
    assert!(list.contains("<optgroup label=\"Bộ Công an\">"), "{list}");
    assert!(
        list.contains("<optgroup label=\"Công an tỉnh, thành phố\">"),
        "{list}"
    );
    assert!(list.contains("value=\"bo-ca\""), "{list}");
    assert!(list.contains("value=\"ca-ag\""), "{list}");
    // Neither a ward, a department nor a unit merged away can take new units.
    for absent in ["ca-p-long-xuyen", "cuc-x01", "ca-kg", "ca-bl"] {
        assert!(
            !list.contains(&format!("value=\"{absent}\"")),
            "{absent}: {list}"
        );
    }
    let size = app.service.read().size;
    let unit = |kind: &'static str, parent: &'static str| {
        vec![
            ("id", "ca-moi"),
            ("name", "Đơn vị mới"),
            ("short_code", "MOI"),
            ("kind", kind),
            ("parent", parent),
            ("established", "01/07/2025"),
        ]
    };
    for (kind, parent, says) in [
        (
            "commune_police",
            "",
            "Công an xã, phường phải trực thuộc một công an tỉnh, thành phố",
        ),
        (
            "commune_police",
            "bo-ca",
            "Công an xã, phường phải trực thuộc một công an tỉnh, thành phố",
        ),
        (
            "provincial_police",
            "ca-p-long-xuyen",
            "Công an tỉnh, thành phố trực thuộc Bộ",
        ),
        (
            "provincial_police",
            "ca-ag",
            "Công an tỉnh, thành phố trực thuộc Bộ",
        ),
        (
            "ministry_department",
            "",
            "Đơn vị thuộc Bộ phải có đơn vị cấp trên là Bộ",
        ),
        ("ministry", "bo-ca", "Bộ là cấp cao nhất"),
        (
            "commune_police",
            "ca-kg",
            "Đơn vị cấp trên này đã không còn tồn tại (sáp nhập hoặc chia tách)",
        ),
        (
            "commune_police",
            "ca-khong-co",
            "Không có đơn vị cấp trên này",
        ),
        (
            "commune_police",
            "KHÔNG HỢP LỆ",
            "Không có đơn vị cấp trên này",
        ),
    ] {
        let r = new_unit(&c, &csrf, &unit(kind, parent));
        assert_eq!(r.status, 422, "{kind} under {parent:?}");
        let message = element(&r, "nn-parent-error");
        assert!(
            message.contains(says),
            "{kind} under {parent:?}: {message:?}"
        );
        assert!(
            element(&r, "nn-id-error").is_empty(),
            "{kind} under {parent:?}"
        );
        assert!(
            r.body.contains(
                "aria-describedby=\"nn-parent-hint nn-parent-error\" aria-invalid=\"true\""
            ),
            "{kind} under {parent:?}"
        );
    }
    assert_eq!(app.service.read().size, size, "nothing was created");
    // Where each fits, it is created.
    for (id, kind, parent) in [
        ("ca-p-my-binh", "commune_police", "ca-ag"),
        ("ca-tn-moi", "provincial_police", "bo-ca"),
        ("ca-la-moi", "provincial_police", ""),
    ] {
        let mut fields = unit(kind, parent);
        fields[0] = ("id", id);
        fields[1] = ("name", id);
        fields[2] = ("short_code", id);
        let r = new_unit(&c, &csrf, &fields);
        assert_eq!(r.status, 303, "{id}: {}", r.body);
    }
    let ward = c.get("/api/v1/units/ca-p-my-binh").json();
    assert_eq!(ward["unit"]["parent"], "ca-ag");
    assert_eq!(ward["unit"]["kind"], "commune_police");
}

/// A refused form comes back with what was typed — id, name, short code, kind, parent and date
/// — and each message beside its own field: the date's beside the date, the kind's beside the
/// kind, a name taken beside the name; never the id's field for what is not about the id.
fn admin_unit_form_keeps_what_was_typed(app: &TestApp) {
    let c = signed_in(app, "quantri");
    let csrf = c.get("/admin/units").csrf();
    hierarchy(&c, &csrf);
    let typed = |established: &'static str, kind: &'static str, name: &'static str| {
        vec![
            ("id", "ca-p-binh-duc"),
            ("name", name),
            ("short_code", "BĐ"),
            ("kind", kind),
            ("parent", "ca-ag"),
            ("established", established),
        ]
    };
    let kept = |r: &Resp, established: &str, name: &str| {
        assert_eq!(r.status, 422, "{}", r.body);
        for value in ["ca-p-binh-duc", name, "BĐ", established] {
            assert!(
                r.body.contains(&format!("value=\"{value}\"")),
                "{value} comes back: {}",
                r.body
            );
        }
        assert!(
            r.body.contains(
                "<option value=\"ca-ag\" lang=\"vi\" selected>Công an tỉnh An Giang</option>"
            ),
            "the parent chosen comes back"
        );
    };
    // A date that is none.
    let r = new_unit(
        &c,
        &csrf,
        &typed("32/13/2025", "commune_police", "Công an phường Bình Đức"),
    );
    kept(&r, "32/13/2025", "Công an phường Bình Đức");
    assert!(r
        .body
        .contains("<option value=\"commune_police\" selected>"));
    assert!(element(&r, "nn-date-error").contains("Ngày không đọc được"));
    // A date out of range: beside the date, not the id.
    let r = new_unit(
        &c,
        &csrf,
        &typed("01/01/1800", "commune_police", "Công an phường Bình Đức"),
    );
    kept(&r, "01/01/1800", "Công an phường Bình Đức");
    assert!(
        element(&r, "nn-date-error").contains("từ năm 1900 đến năm 2100"),
        "{}",
        element(&r, "nn-date-error")
    );
    assert!(element(&r, "nn-id-error").is_empty());
    // A kind that is none of the list.
    let r = new_unit(
        &c,
        &csrf,
        &typed("01/07/2025", "doi-canh-sat", "Công an phường Bình Đức"),
    );
    kept(&r, "01/07/2025", "Công an phường Bình Đức");
    assert!(
        element(&r, "nn-kind-error").contains("Hãy chọn loại đơn vị trong danh sách"),
        "{}",
        element(&r, "nn-kind-error")
    );
    // A name its siblings already carry: beside the name.
    let r = new_unit(
        &c,
        &csrf,
        &typed("01/07/2025", "commune_police", "Công an phường Long Xuyên"),
    );
    kept(&r, "01/07/2025", "Công an phường Long Xuyên");
    assert!(element(&r, "nn-name-error").contains("Đã có đơn vị khác cùng cấp mang tên này"));
    assert!(element(&r, "nn-id-error").is_empty());
    // An id taken: beside the id, what was typed kept.
    let mut taken = typed("01/07/2025", "commune_police", "Công an phường Bình Đức");
    taken[0] = ("id", "ca-p-long-xuyen");
    let r = new_unit(&c, &csrf, &taken);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("value=\"Công an phường Bình Đức\""));
    assert!(element(&r, "nn-id-error").contains("Mã đơn vị đã tồn tại"));
    // A kind chosen and refused for its parent comes back chosen.
    let mut ministry = typed("01/07/2025", "ministry", "Bộ mới");
    ministry[2] = ("short_code", "BM");
    let r = new_unit(&c, &csrf, &ministry);
    assert_eq!(r.status, 422);
    assert!(r.body.contains("<option value=\"ministry\" selected>"));
    assert!(element(&r, "nn-parent-error").contains("Bộ là cấp cao nhất"));
    // Corrected, it is created and the form is empty again.
    let r = new_unit(
        &c,
        &csrf,
        &typed("01/07/2025", "commune_police", "Công an phường Bình Đức"),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let page = c.get("/admin/units");
    assert!(!page.body.contains("value=\"ca-p-binh-duc\""));
}

/// The membership form offers the units of the kind the cluster's members are — provinces for
/// Cluster 12, never a ward or a department — and the domain refuses a year of mixed kinds
/// with the units named; a cluster without members yet offers each kind in its own group.
fn admin_cluster_members_of_one_kind(app: &TestApp) {
    let admin = signed_in(app, "quantri");
    let admin_csrf = admin.get("/admin/units").csrf();
    hierarchy(&admin, &admin_csrf);
    let sec = signed_in(app, "thuky12");
    for year in ["2024", "2025", "2027"] {
        let page = sec.get(&format!("/clusters/cum-12?year={year}"));
        assert_eq!(page.status, 200);
        let form = &page.body[page.body.find("id=\"mm-units\"").expect("the form")..];
        let form = &form[..form.find("</form>").unwrap()];
        assert!(form.contains("name=\"m_ca-ag\""), "{year}: {form}");
        for absent in ["m_ca-p-long-xuyen", "m_cuc-x01", "m_bo-ca"] {
            assert!(!form.contains(absent), "{year}: {absent} offered: {form}");
        }
    }
    let csrf = sec.get("/clusters/cum-12?year=2027").csrf();
    let size = app.service.read().size;
    let r = sec.post_form(
        "/clusters/cum-12/members",
        &[
            ("csrf", &csrf),
            ("year", "2027"),
            ("m_ca-ag", "1"),
            ("m_ca-cm", "1"),
            ("m_ca-p-long-xuyen", "1"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    let message = element(&r, "members-members-error");
    assert!(
        message.contains("Công an phường Long Xuyên là công an xã, phường")
            && message.contains("cùng một loại đơn vị"),
        "{message}"
    );
    // The form comes back as submitted: exactly the units ticked, not the stored members.
    let form = &r.body[r.body.find("id=\"mm-units\"").expect("the form")..];
    let form = &form[..form.find("</form>").unwrap()];
    let ticked: Vec<&str> = form
        .split("<input type=\"checkbox\" name=\"m_")
        .skip(1)
        .filter(|x| x[..x.find('>').unwrap()].contains(" checked"))
        .map(|x| &x[..x.find('"').unwrap()])
        .collect();
    assert_eq!(ticked, ["ca-ag", "ca-cm"], "{form}");
    let r = sec.post_form(
        "/clusters/cum-12/members",
        &[
            ("csrf", &csrf),
            ("year", "2027"),
            ("m_ca-ag", "1"),
            ("m_cuc-x01", "1"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert_eq!(app.service.read().size, size, "nothing was set");
    // A cluster without members: each kind in its own group, the Ministry in none.
    let r = admin.post_form(
        "/admin/clusters",
        &[
            ("csrf", &admin_csrf),
            ("id", "khoi-moi"),
            ("name", "Khối thi đua mới"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    // Its name is its own: a second cluster so named is refused beside the name.
    let r = admin.post_form(
        "/admin/clusters",
        &[
            ("csrf", &admin_csrf),
            ("id", "khoi-moi-2"),
            ("name", "KHỐI THI ĐUA MỚI"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"nc-name-error\""), "{}", r.body);
    assert!(
        r.body.contains("value=\"KHỐI THI ĐUA MỚI\""),
        "what was typed stays: {}",
        r.body
    );
    let page = admin.get("/clusters/khoi-moi?year=2026");
    let form = &page.body[page.body.find("id=\"mm-units\"").expect("the form")..];
    let form = &form[..form.find("</form>").unwrap()];
    for legend in [
        "<legend>Công an tỉnh, thành phố</legend>",
        "<legend>Đơn vị thuộc Bộ</legend>",
        "<legend>Công an xã, phường</legend>",
    ] {
        assert!(form.contains(legend), "{legend}: {form}");
    }
    assert!(!form.contains("m_bo-ca"));
    let r = admin.post_form(
        "/clusters/khoi-moi/members",
        &[("csrf", &admin_csrf), ("year", "2026"), ("m_cuc-x01", "1")],
    );
    // One unit is no cluster: refused, nothing set.
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("ít nhất hai đơn vị"), "{}", r.body);
    let r = admin.post_form(
        "/clusters/khoi-moi/members",
        &[
            ("csrf", &admin_csrf),
            ("year", "2026"),
            ("m_cuc-x01", "1"),
            ("m_cuc-x02", "1"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    // Its members being departments, only departments are offered.
    let page = admin.get("/clusters/khoi-moi?year=2027");
    let form = &page.body[page.body.find("id=\"mm-units\"").expect("the form")..];
    let form = &form[..form.find("</form>").unwrap()];
    assert!(form.contains("m_cuc-x01"), "{form}");
    assert!(
        !form.contains("m_ca-ag") && !form.contains("m_ca-p-long-xuyen"),
        "{form}"
    );
    assert!(
        !form.contains("<legend>Công an xã, phường</legend>"),
        "{form}"
    );
}

/// A role at a unit the 2025 mergers ended (Kiên Giang into An Giang, 01/07/2025): the role
/// stays (the unit's leader still votes on its 2024 awards), and every list of roles — the
/// leader's home page, the administrator's roles page, the unit's page — says the unit has
/// ceased, since when, into which unit, and that the role serves its earlier years only, in
/// both languages; a role at a unit in being says nothing of the kind. Before, the roles read
/// as if Kiên Giang were still reporting.
#[test]
fn a_role_at_a_merged_away_unit_says_the_unit_ceased_and_into_which() {
    let app = super::support::spawn(super::support::Backend::Sqlite).unwrap();
    let note = "đơn vị đã chấm dứt hoạt động từ 01/07/2025, hợp nhất vào Công an tỉnh An Giang; vai trò chỉ còn dùng cho các năm trước";
    let leader = signed_in(&app, "lanhdao-kg");
    let home = super::support::without_tags(&leader.get("/").body);
    assert!(
        home.contains(&format!(
            "Lãnh đạo đơn vị — Công an tỉnh Kiên Giang ({note})"
        )),
        "{home}"
    );
    let admin = signed_in(&app, "quantri");
    for path in ["/admin/roles", "/units/ca-kg"] {
        let page = super::support::without_tags(&admin.get(path).body);
        assert!(page.contains(note), "{path}: {page}");
    }
    let ag = super::support::without_tags(&admin.get("/units/ca-ag").body);
    assert!(!ag.contains("chấm dứt hoạt động từ"), "{ag}");
    let csrf = leader.get("/").csrf();
    let r = leader.post_form("/lang", &[("csrf", &csrf), ("to", "en")]);
    assert!(r.status < 400, "{}", r.body);
    let en = super::support::without_tags(&leader.get("/").body);
    assert!(
        en.contains("(the unit ceased on 01/07/2025, merged into Công an tỉnh An Giang; the role serves its earlier years only)"),
        "{en}"
    );
}

/// Renaming, or merging again, a unit the 2025 mergers ended, on a day after it ceased: the
/// form says which unit was not in being on that day and since when it has ceased, in both
/// languages — before, it said only "Đơn vị không hoạt động vào thời điểm này." beside the
/// date, naming neither the unit nor why.
#[test]
fn a_change_to_a_merged_away_unit_after_it_ceased_says_since_when() {
    let app = super::support::spawn(super::support::Backend::Sqlite).unwrap();
    let admin = signed_in(&app, "quantri");
    let csrf = admin.get("/units/ca-kg/rename").csrf();
    let fields = [
        ("csrf", csrf.as_str()),
        ("name", "Công an tỉnh Kiên Giang mới"),
        ("short_code", "KGM"),
        ("effective", "01/08/2025"),
        ("decision", "Quyết định 1/2025"),
    ];
    let r = admin.post_form("/units/ca-kg/rename", &fields);
    assert_eq!(r.status, 422, "{}", r.body);
    let said = "Công an tỉnh Kiên Giang không hoạt động vào ngày 01/08/2025: đơn vị đã chấm dứt hoạt động từ ngày 01/07/2025.";
    assert!(
        super::support::without_tags(&r.body).contains(said),
        "{}",
        r.body
    );
    let csrf = admin.get("/units/ca-kg/lineage").csrf();
    let fields = [
        ("csrf", csrf.as_str()),
        ("kind", "merge"),
        ("p_ca-kg", "1"),
        ("p_ca-bl", "1"),
        ("s_ca-cm", "1"),
        ("effective", "01/08/2025"),
        ("decision", "Nghị quyết 1/2025"),
    ];
    let r = admin.post_form("/units/ca-kg/lineage", &fields);
    assert_eq!(r.status, 422, "{}", r.body);
    let text = super::support::without_tags(&r.body);
    assert!(
        text.contains("đơn vị đã chấm dứt hoạt động từ ngày 01/07/2025."),
        "{text}"
    );
    let home = admin.get("/");
    let r = admin.post_form("/lang", &[("csrf", &home.csrf()), ("to", "en")]);
    assert!(r.status < 400, "{}", r.body);
    let csrf = admin.get("/units/ca-kg/rename").csrf();
    let mut en = fields.to_vec();
    en.retain(|(k, _)| *k == "effective" || *k == "decision");
    en.extend([
        ("csrf", csrf.as_str()),
        ("name", "X"),
        ("short_code", "KGX"),
    ]);
    let r = admin.post_form("/units/ca-kg/rename", &en);
    assert!(
        super::support::without_tags(&r.body).contains(
            "Công an tỉnh Kiên Giang did not exist on 01/08/2025: it ceased on 01/07/2025."
        ),
        "{}",
        r.body
    );
}

/// The last lineage record of `unit`'s page: its log index, from the row's id.
fn last_record(c: &Client, unit: &str) -> String {
    let page = c.get(&format!("/units/{unit}"));
    let at = page.body.rfind("id=\"lineage-").expect("a lineage row");
    let rest = &page.body[at + "id=\"lineage-".len()..];
    rest[..rest.find('"').unwrap()].to_owned()
}

/// A merger recorded by mistake (two wards of An Giang, wrong date) is withdrawn from the unit
/// page by the administrator with a reason: the page then shows it withdrawn with the reason,
/// the ward it ended is active again (a rename dated after the wrong date is accepted), the
/// history says who withdrew what, the API lists the withdrawal, and a second withdrawal is
/// 404. The 2025 merger of Kiên Giang, on which the cluster's later events rest, offers no
/// form: its page names the first such event. Nobody but the administrator opens the form.
fn a_mistaken_merger_is_withdrawn_from_the_unit_page(app: &TestApp) {
    let admin = signed_in(app, "quantri");
    let csrf = admin.get("/admin").csrf();
    for (id, name, code) in [
        ("ca-p-my-binh", "Công an phường Mỹ Bình", "MB"),
        ("ca-p-my-long", "Công an phường Mỹ Long", "ML"),
    ] {
        let fields = [
            ("id", id),
            ("name", name),
            ("short_code", code),
            ("kind", "commune_police"),
            ("parent", "ca-ag"),
            ("established", "01/07/2025"),
        ];
        let r = new_unit(&admin, &csrf, &fields);
        assert_eq!(r.status, 303, "{}", r.body);
    }
    let csrf = admin.get("/units/ca-p-my-long/lineage").csrf();
    let r = admin.post_form(
        "/units/ca-p-my-long/lineage",
        &[
            ("csrf", csrf.as_str()),
            ("kind", "merge"),
            ("p_ca-p-my-binh", "1"),
            ("p_ca-p-my-long", "1"),
            ("s_ca-p-my-binh", "1"),
            ("effective", "01/08/2025"),
            ("decision", "Nghị quyết 1/2025"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let index = last_record(&admin, "ca-p-my-long");
    let form = format!("/units/ca-p-my-long/lineage/{index}/withdraw");
    let page = admin.get("/units/ca-p-my-long");
    assert!(
        page.body.contains(&format!("href=\"{form}\"")),
        "{}",
        page.body
    );
    assert!(super::support::without_tags(&page.body).contains("Đang có hiệu lực"));

    // Others are refused the form; a leader does not see the link.
    let leader = signed_in(app, "lanhdao-ag");
    assert_eq!(leader.get(&form).status, 403);
    assert!(!leader.get("/units/ca-p-my-long").body.contains(&form));

    // A reason is needed.
    let csrf = admin.get(&form).csrf();
    let r = admin.post_form(&form, &[("csrf", csrf.as_str()), ("reason", "  ")]);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"reason-error\""), "{}", r.body);

    let reason = "Ghi nhầm: hai phường sáp nhập theo Nghị quyết 2/2025";
    let r = admin.post_form(&form, &[("csrf", csrf.as_str()), ("reason", reason)]);
    assert_eq!(r.status, 303, "{}", r.body);
    let page = admin.get("/units/ca-p-my-long");
    let text = super::support::without_tags(&page.body);
    assert!(text.contains("Đã rút lúc"), "{text}");
    assert!(text.contains(reason), "{text}");
    assert!(!page.body.contains(&format!("href=\"{form}\"")));
    assert!(page.body.contains("class=\"withdrawn\""));
    // The ward exists again after the wrong date: a rename dated then is accepted.
    let csrf = admin.get("/units/ca-p-my-long/rename").csrf();
    let r = admin.post_form(
        "/units/ca-p-my-long/rename",
        &[
            ("csrf", csrf.as_str()),
            ("name", "Công an phường Mỹ Long mới"),
            ("short_code", "MLM"),
            ("effective", "01/09/2025"),
            ("decision", "Quyết định 5/2025"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let history = super::support::without_tags(&admin.get("/history?kind=lineage_withdrawn").body);
    assert!(
        history.contains("đã rút bản ghi sáp nhập Công an phường Mỹ Bình, Công an phường Mỹ Long"),
        "{history}"
    );
    let api = admin.get("/api/v1/units/ca-p-my-long");
    let detail: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    let record = &detail["lineage"][0];
    assert_eq!(record["index"].to_string(), index);
    assert_eq!(record["withdrawn"]["reason"], reason);
    assert_eq!(admin.get(&form).status, 404);

    // The 2025 merger of Kiên Giang: the cluster's later events rest on it.
    let kg = last_record(&admin, "ca-kg");
    let kg_form = format!("/units/ca-kg/lineage/{kg}/withdraw");
    let page = admin.get(&kg_form);
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains("id=\"withdraw-blocked\""),
        "{}",
        page.body
    );
    assert!(!page.body.contains("lineage-withdraw-form"));
    let text = super::support::without_tags(&page.body);
    assert!(
        text.contains("Không rút được bản ghi này: sau nó, sổ đã ghi sự kiện số"),
        "{text}"
    );
    let r = admin.post_form(
        &kg_form,
        &[("csrf", page.csrf().as_str()), ("reason", "Thử")],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    let api = admin.post_json(
        "/api/v1/commands",
        serde_json::json!({"command": "withdraw_lineage", "index": kg.parse::<u64>().unwrap(), "reason": "Thử"}),
    );
    assert_eq!(api.status, 422, "{}", api.body);
    assert!(api.body.contains("lineage_relied_upon"), "{}", api.body);
}

/// Cluster 12's 2026 covenant is signed by An Giang, Cà Mau and Cần Thơ; a merger of Cà Mau
/// into Cần Thơ on 01/09/2026 is recorded after. The secretariat's cluster page says who ceased,
/// since when, and who succeeds it, and offers the succession ticked (Cà Mau out); keeping Cà
/// Mau, or taking out An Giang, is refused beside the members with why; the succession is
/// saved, after which the members are fixed as signed again and the notice is gone.
fn a_signed_year_whose_member_merged_away_is_carried_on_by_its_successor(app: &TestApp) {
    use thidua_domain::model::{LineageChange, LineageKind};
    use thidua_domain::{Actor, ClusterId, Command, CovenantId, MovementId, Text, UnitId};
    let unit = |x: &str| UnitId::parse(x).unwrap();
    let text = |x: &str| Text::parse("t", x, 500).unwrap();
    let (cluster, covenant) = (
        ClusterId::parse("cum-12").unwrap(),
        CovenantId::parse("gu-12-2026").unwrap(),
    );
    let movement = MovementId::parse("vi-an-ninh-2026").unwrap();
    let members = ["ca-ag", "ca-cm", "ca-ct"];
    let setup = vec![
        Command::SetClusterYear {
            cluster: cluster.clone(),
            year: 2026,
            members: members.map(unit).to_vec(),
        },
        Command::CreateMovement {
            movement: movement.clone(),
            name: text("Vì an ninh Tổ quốc"),
            year: 2026,
            plan_ref: text("12/KH-BCA"),
            slogan: None,
            calendar: thidua_domain::calendar::default_calendar(2026),
        },
        Command::DraftCovenant {
            covenant: covenant.clone(),
            movement,
            cluster,
            content: super::support::content_of_year(2026, "Giao ước thi đua năm 2026"),
        },
        // An Giang's leader also leads Cà Mau here, to see what its leader may still do.
        Command::GrantRole {
            user: thidua_domain::UserId::parse("lanhdao-ag").unwrap(),
            role: thidua_domain::model::Role::Leader {
                unit: unit("ca-cm"),
            },
        },
    ];
    app.service.execute_all(&Actor::System, setup).unwrap();
    let hash = app.service.read().covenants[&covenant]
        .latest()
        .hash
        .clone();
    let mut signed: Vec<Command> = members
        .iter()
        .map(|m| Command::SignCovenant {
            covenant: covenant.clone(),
            version: 1,
            unit: unit(m),
            hash: hash.clone(),
        })
        .collect();
    app.service
        .execute_all(&Actor::System, std::mem::take(&mut signed))
        .unwrap();
    // Cà Mau's March figures, approved before the merger.
    let figures = super::support::full_figures(&app.service, "gu-12-2026", 7);
    signed.extend(super::support::monthly_reports(
        "gu-12-2026",
        "ca-cm",
        3..=3,
        true,
        |_| figures.clone(),
    ));
    signed.push(Command::RecordLineage {
        change: LineageChange {
            kind: LineageKind::Merge,
            predecessors: ["ca-cm", "ca-ct"].map(unit).to_vec(),
            successors: vec![unit("ca-ct")],
            effective: chrono::NaiveDate::from_ymd_opt(2026, 9, 1).unwrap(),
            decision: text("Nghị quyết 9/2026"),
        },
    });
    app.service.execute_all(&Actor::System, signed).unwrap();

    let sec = signed_in(app, "thuky12");
    let page = sec.get("/clusters/cum-12?year=2026");
    assert_eq!(page.status, 200);
    let notice = element(&page, "members-succession");
    assert!(
        notice.contains("Công an tỉnh Cà Mau (01/09/2026)")
            && notice.contains("đơn vị kế thừa: Công an thành phố Cần Thơ"),
        "{notice}"
    );
    assert_eq!(element(&page, "members-signed"), "");
    let form = &page.body[page.body.find("id=\"mm-units\"").expect("the form")..];
    let form = &form[..form.find("</form>").unwrap()];
    for (id, ticked) in [("ca-ag", true), ("ca-ct", true), ("ca-cm", false)] {
        let at = form.find(&format!("name=\"m_{id}\"")).expect(id);
        let tag = &form[at..at + form[at..].find('>').unwrap()];
        assert_eq!(tag.contains("checked"), ticked, "{id}: {tag}");
    }
    assert!(form.contains("id=\"members-save\""), "{form}");
    // The year-end page says up front why the review cannot open yet, and where to go.
    let yearend = sec.get("/covenants/gu-12-2026/yearend");
    let at = yearend
        .body
        .find("id=\"members-ceased\"")
        .expect("the notice");
    let notice = &yearend.body[at..];
    let notice = &notice[..notice.find("</div>").unwrap()];
    assert!(
        super::support::without_tags(notice)
            .contains("Công an tỉnh Cà Mau (01/09/2026) đã ngừng hoạt động trong năm"),
        "{notice}"
    );
    assert!(
        notice.contains("href=\"/clusters/cum-12?year=2026\""),
        "{notice}"
    );

    let post = |ticked: &[&str]| {
        let csrf = sec.get("/clusters/cum-12?year=2026").csrf();
        let mut fields = vec![
            ("csrf".to_owned(), csrf),
            ("year".to_owned(), "2026".to_owned()),
        ];
        fields.extend(ticked.iter().map(|m| (format!("m_{m}"), "1".to_owned())));
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        sec.post_form("/clusters/cum-12/members", &fields)
    };
    let size = app.service.read().size;
    let kept = post(&members);
    assert_eq!(kept.status, 422, "{}", kept.body);
    let said = super::support::without_tags(&element(&kept, "members-members-error"));
    assert!(
        said.contains("Công an tỉnh Cà Mau không còn tồn tại từ ngày 01/09/2026"),
        "{said}"
    );
    let lasting = post(&["ca-ct"]);
    assert_eq!(lasting.status, 422, "{}", lasting.body);
    let said = super::support::without_tags(&element(&lasting, "members-members-error"));
    assert!(
        said.contains("chỉ bỏ được đơn vị đã ngừng hoạt động trong năm (Công an tỉnh Cà Mau) và chỉ thêm đơn vị kế thừa của chúng (Công an thành phố Cần Thơ)"),
        "{said}"
    );
    assert_eq!(
        app.service.read().size,
        size,
        "a refused form records nothing"
    );

    let r = post(&["ca-ag", "ca-ct"]);
    assert_eq!(r.status, 303, "{}", r.body);
    let state = app.service.read();
    let now = state
        .members(&ClusterId::parse("cum-12").unwrap(), 2026)
        .unwrap();
    assert_eq!(now, ["ca-ag", "ca-ct"].map(unit));
    drop(state);
    let page = sec.get("/clusters/cum-12?year=2026");
    assert_eq!(element(&page, "members-succession"), "");
    let yearend = sec.get("/covenants/gu-12-2026/yearend");
    assert!(!yearend.body.contains("id=\"members-ceased\""));
    assert!(element(&page, "members-signed").contains("đã có chữ ký"));
    // The covenant page says who carries Cà Mau's undertakings on; the signers stay listed.
    let page = signed_in(app, "lanhdao-ag").get("/covenants/gu-12-2026");
    let at = page
        .body
        .find("id=\"carried-on\"")
        .expect("the carried-on notice");
    let notice = &page.body[at..];
    let carried = super::support::without_tags(&notice[..notice.find("</div>").unwrap()]);
    assert!(
        carried.contains("Công an tỉnh Cà Mau (01/09/2026) → Công an thành phố Cần Thơ"),
        "{carried}"
    );
    assert!(page.body.contains("id=\"sig-ca-cm\""), "{}", page.body);
    // What Cà Mau published stays readable, from there, and nothing of it can change; a
    // window it never reported is not found.
    let march = "/covenants/gu-12-2026/figures/ca-cm/M03";
    assert!(
        page.body.contains(&format!("href=\"{march}\"")),
        "{}",
        page.body
    );
    let report = signed_in(app, "lanhdao-ag").get(march);
    assert_eq!(report.status, 200, "{}", report.body);
    assert!(
        !report.body.contains(&format!("action=\"{march}")),
        "{}",
        report.body
    );
    assert_eq!(
        sec.get("/covenants/gu-12-2026/figures/ca-cm/M05").status,
        404
    );
}
