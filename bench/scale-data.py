#!/usr/bin/env python3
"""Deterministic synthetic Amazon-format catalogues resampled from the real Musical Instruments data.

    bench/scale-data.py REVIEWS_CSV ITEMS_CSV OUT_DIR N_REVIEWS [--seed 20261207]

Writes OUT_DIR/reviews.csv and OUT_DIR/items.csv (the same columns as the real files, so `explainer ingest amazon`
reads them) with about N_REVIEWS reviews and N_REVIEWS * 0.09 items (the real data's 900 items per 10,261 reviews):
  * items: each real item becomes N/10,261 variants (id ASIN, ASIN-v1, ...; the same title, category, price),
  * popularity: Zipf-like (weight ~ 1/(rank+10)^1.1 over a seeded random order of the items),
  * users: review counts resampled from the real users' counts until N reviews are reached, no item twice per user,
  * review texts, summaries and ratings: a real review of the variant's source item, chosen at random.
Same arguments, same files (Python's Mersenne Twister with the given seed)."""
import argparse, bisect, csv, itertools, os, random, sys

def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("reviews"); p.add_argument("items"); p.add_argument("out"); p.add_argument("n", type=int)
    p.add_argument("--seed", type=int, default=20261207)
    a = p.parse_args()
    if a.n < 1000:
        sys.exit("scale-data: N_REVIEWS must be at least 1000")
    rng = random.Random(a.seed)
    csv.field_size_limit(10**8)
    with open(a.reviews, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        review_fields = reader.fieldnames
        real = list(reader)
    with open(a.items, newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        item_fields = reader.fieldnames
        items = list(reader)
    by_item = {}
    for r in real:
        by_item.setdefault(r["asin"], []).append(r)
    items = [i for i in items if i["Product ID"] in by_item]
    per_user = {}
    for r in real:
        per_user[r["reviewerID"]] = per_user.get(r["reviewerID"], 0) + 1
    counts = sorted(per_user.values())

    variants = max(1, round(a.n * len(items) / len(real) / len(items)))
    catalogue = []  # (id, source item row)
    for v in range(variants):
        for it in items:
            catalogue.append((it["Product ID"] if v == 0 else f'{it["Product ID"]}-v{v}', it))
    order = list(range(len(catalogue)))
    rng.shuffle(order)
    weights = [0.0] * len(catalogue)
    for rank, k in enumerate(order):
        weights[k] = 1.0 / (rank + 10) ** 1.1
    cumulative = list(itertools.accumulate(weights))
    total = cumulative[-1]

    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "items.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=item_fields)
        w.writeheader()
        for item_id, it in catalogue:
            w.writerow({**it, "Product ID": item_id})

    written = 0
    user = 0
    base = 1_100_000_000
    with open(os.path.join(a.out, "reviews.csv"), "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=review_fields)
        w.writeheader()
        while written < a.n:
            want = min(rng.choice(counts), a.n - written)
            chosen = set()
            tries = 0
            while len(chosen) < want and tries < want * 20:
                chosen.add(bisect.bisect_left(cumulative, rng.random() * total))
                tries += 1
            uid = f"U{user:08d}"
            for k in sorted(chosen):
                item_id, it = catalogue[min(k, len(catalogue) - 1)]
                src = rng.choice(by_item[it["Product ID"]])
                t = base + rng.randrange(0, 400_000_000)
                w.writerow({**src, "reviewerID": uid, "asin": item_id, "reviewerName": uid, "helpful": "[0, 0]", "unixReviewTime": t, "reviewTime": ""})
                written += 1
            user += 1
    print(f"{written:,} reviews by {user:,} users of {len(catalogue):,} items in {a.out}")

if __name__ == "__main__":
    main()
