#!/usr/bin/env python3
"""Generates data.csv and data.json for the Cluster 12 / 2024 example.

INVENTED FIGURES (số liệu giả định): plausible orders of magnitude, not real statistics.
Deterministic: running it again gives the same files.
"""
import json

UNITS = [
    ("KG", "Công an tỉnh Kiên Giang"),
    ("AG", "Công an tỉnh An Giang"),
    ("HG", "Công an tỉnh Hậu Giang"),
    ("CM", "Công an tỉnh Cà Mau"),
    ("BL", "Công an tỉnh Bạc Liêu"),
]

# yearly totals: element -> {unit: (2023, 2024)}
Y = {
    "crimes":              {"KG": (1050, 975), "AG": (1180, 1115), "HG": (520, 508), "CM": (890, 830), "BL": (610, 580)},
    "suspended":           {"KG": (62, 57), "AG": (70, 66), "HG": (35, 35), "CM": (48, 42), "BL": (40, 37)},
    "reports_due":         {"KG": (1450, 1420), "AG": (1610, 1580), "HG": (760, 745), "CM": (1240, 1205), "BL": (880, 860)},
    "reports_received":    {"KG": (1450, 1420), "AG": (1610, 1580), "HG": (757, 742), "CM": (1240, 1205), "BL": (880, 860)},
    "reports_resolved":    {"KG": (1340, 1335), "AG": (1470, 1462), "HG": (670, 660), "CM": (1110, 1099), "BL": (790, 778)},
    "solved":              {"KG": (820, 790), "AG": (915, 881), "HG": (370, 366), "CM": (670, 639), "BL": (455, 441)},
    "serious":             {"KG": (61, 58), "AG": (68, 64), "HG": (31, 30), "CM": (47, 45), "BL": (30, 28)},
    "serious_solved":      {"KG": (56, 54), "AG": (62, 59), "HG": (27, 26), "CM": (41, 40), "BL": (27, 26)},
    "assets_due":          {"KG": (9800, 12500), "AG": (14200, 15800), "HG": (1800, 2100), "CM": (5100, 6400), "BL": (900, 0)},
    "assets_recovered":    {"KG": (6100, 8400), "AG": (8900, 10200), "HG": (950, 1100), "CM": (3000, 3900), "BL": (520, 0)},
    "gangs":               {"KG": (0, 0), "AG": (0, 0), "HG": (0, 1), "CM": (1, 0), "BL": (0, 0)},
    "accidents":           {"KG": (260, 241), "AG": (310, 300), "HG": (150, 152), "CM": (280, 265), "BL": (170, 158)},
    "deaths":              {"KG": (198, 190), "AG": (240, 226), "HG": (120, 114), "CM": (210, 205), "BL": (130, 131)},
    "injuries":            {"KG": (150, 139), "AG": (180, 170), "HG": (90, 88), "CM": (160, 150), "BL": (95, 89)},
    "serious_fires":       {"KG": (1, 1), "AG": (2, 1), "HG": (0, 0), "CM": (1, 2), "BL": (0, 0)},
    "detention_incidents": {"KG": (0, 0), "AG": (0, 0), "HG": (1, 0), "CM": (0, 1), "BL": (0, 0)},
    "disciplined":         {"KG": (18, 15), "AG": (22, 20), "HG": (10, 12), "CM": (17, 16), "BL": (11, 9)},
}
PERSONNEL = {"KG": (4150, 4200), "AG": (4760, 4800), "HG": (2080, 2100), "CM": (3550, 3600), "BL": (2380, 2400)}
# figures given once for the whole year (only where not zero; the regulation declares missing = 0)
YEARLY_2024 = [("AG", "ministry_flag", 1), ("KG", "commendations", 2), ("AG", "commendations", 1), ("HG", "scandals", 1)]
MANUAL_2024 = {"KG": ("7.5", "3.5"), "AG": ("7", "3.5"), "HG": ("6", "3"), "CM": ("6.5", "3"), "BL": ("6", "3.5")}

state = 20240326


def rnd():
    global state
    state = (state * 1103515245 + 12345) % (2 ** 31)
    return state / 2 ** 31


def split(total, w, months=12):
    """Splits an integer total into 12 monthly integers along weights w (largest remainder)."""
    if total == 0:
        return [0] * months
    s = sum(w)
    raw = [total * x / s for x in w]
    base = [int(r) for r in raw]
    rest = total - sum(base)
    order = sorted(range(months), key=lambda i: raw[i] - base[i], reverse=True)
    for i in order[:rest]:
        base[i] += 1
    return base


rows = []  # (unit, element, period, value)
for uid, name in UNITS:
    rows.append((uid, "@name", "", name))
for uid, _ in UNITS:
    for yi, year in enumerate((2023, 2024)):
        w = [0.7 + 0.6 * rnd() for _ in range(12)]  # one seasonal profile per unit and year
        monthly = {el: split(Y[el][uid][yi], w) for el in Y}
        p0, p1 = PERSONNEL[uid][0] - 40 if yi == 0 else PERSONNEL[uid][0], PERSONNEL[uid][yi]
        for m in range(12):
            period = f"{year}-M{m + 1:02d}"
            for el in Y:
                rows.append((uid, el, period, str(monthly[el][m])))
            rows.append((uid, "personnel", period, str(p0 + (p1 - p0) * (m + 1) // 12)))
for uid, el, v in YEARLY_2024:
    rows.append((uid, el, "2024-Y", str(v)))
for uid, (a, b) in MANUAL_2024.items():
    rows.append((uid, "@manual:C2a", "2024-Y", a))
    rows.append((uid, "@manual:C2b", "2024-Y", b))


def q(s):
    return '"' + s.replace('"', '""') + '"' if ("," in s or '"' in s) else s


with open("data.csv", "w", encoding="utf-8") as f:
    f.write("# SỐ LIỆU GIẢ ĐỊNH — INVENTED FIGURES for the Cluster 12 / 2024 example; not real statistics.\n")
    f.write("# Kỳ báo cáo: tháng N = 15/(N-1) .. 14/N; 2024-M01 = 15/12/2023 .. 14/01/2024.\n")
    f.write("unit,element,period,value\n")
    for r in rows:
        f.write(",".join(q(x) for x in r) + "\n")

doc = {
    "note": "SỐ LIỆU GIẢ ĐỊNH — INVENTED FIGURES for the Cluster 12 / 2024 example; not real statistics.",
    "units": [{"id": u, "name": n} for u, n in UNITS],
    "figures": [{"unit": u, "element": e, "period": p, "value": v} for u, e, p, v in rows if not e.startswith("@")],
    "manual": [{"unit": u, "criterion": e.split(":")[1], "period": p, "score": v} for u, e, p, v in rows if e.startswith("@manual:")],
}
with open("data.json", "w", encoding="utf-8") as f:
    f.write("{\n")
    parts = []
    for k, v in doc.items():
        if isinstance(v, list):
            items = ",\n  ".join(json.dumps(x, ensure_ascii=False) for x in v)
            parts.append(f' {json.dumps(k)}: [\n  {items}\n ]')
        else:
            parts.append(f' {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}')
    f.write(",\n".join(parts) + "\n}\n")
