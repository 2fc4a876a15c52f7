#!/usr/bin/env python3
"""Blind-read sampler: random users' recommendations with explanations, plus the user's history, as markdown.
usage: bench/read-sample.py DB DATA_DIR SEED USERS K PER_USER OUT_CASES.md OUT_PROFILES.md|- [movielens]
Run from the repo root on a fresh copy of an enriched, indexed store (explanations are cached in it).
Example (round 4 of the README): cp explainer.db /tmp/r.db && bench/read-sample.py /tmp/r.db ../shared/data/amazon-musical-instruments 577215 20 10 2 /tmp/cases.md /tmp/profiles.md"""
import csv, json, random, subprocess, sys, collections, html
if len(sys.argv) < 9 or sys.argv[1] in ('-h', '--help'):
    print(__doc__)
    sys.exit(0 if len(sys.argv) > 1 and sys.argv[1] in ('-h', '--help') else 2)
db, src, seed, nusers, k, per_user, out_expl, out_prof = sys.argv[1:9]
ml = len(sys.argv) > 9 and sys.argv[9] == 'movielens'
seed, nusers, k, per_user = int(seed), int(nusers), int(k), int(per_user)
rng = random.Random(seed)
hist = collections.defaultdict(list); titles = {}
if ml:
    for r in csv.reader(open(f'{src}/movies.csv', encoding='utf-8')):
        if r[0] == 'movieId': continue
        titles[r[0]] = f'{r[1]} [{r[2]}]'
    for r in csv.reader(open(f'{src}/ratings.csv', encoding='utf-8')):
        if r[0] == 'userId': continue
        hist[r[0]].append((titles.get(r[1], r[1]), r[2], ''))
else:
    for r in csv.DictReader(open(f'{src}/items.csv', encoding='utf-8')):
        titles[r['Product ID']] = html.unescape(r['Description']) + f" ({r['Category']})"
    for r in csv.DictReader(open(f'{src}/reviews.csv', encoding='utf-8')):
        hist[r['reviewerID']].append((titles.get(r['asin'], r['asin']), r['overall'], html.unescape(r['reviewText'])[:400]))
users = sorted(hist); rng.shuffle(users)
out = open(out_expl, 'w'); prof = None if out_prof == '-' else open(out_prof, 'w')
n = 0; done = 0
for u in users:
    if done >= nusers: break
    p = subprocess.run(['./explainer', '--db', db, 'recommend', '--user', u, '--explain', '--json', '-k', str(k)], capture_output=True, text=True)
    if p.returncode != 0: continue
    items = json.loads(p.stdout)['items']
    picks = rng.sample(items, min(per_user, len(items)))
    done += 1
    h = hist[u]
    if ml: h = sorted(h, key=lambda x: -float(x[1]))[:25]
    out.write(f'\n## User {done}\n\nWhat this user has ' + ('rated (best-rated 25 shown, stars out of 5)' if ml else 'reviewed') + ':\n')
    for t, s, txt in h:
        out.write(f'- {t} - {s} stars' + (f': "{txt}"' if txt else '') + '\n')
    for it in picks:
        n += 1
        cat = it.get('category') or ''
        out.write(f'\n### Case {n} (user {done}): recommended "{it.get("title") or it["itemId"]}" ({cat})\n\n> {it["explanation"]["text"]}\n')
    if prof:
        pp = json.loads(subprocess.run(['./explainer', '--db', db, 'profile', '--user', u, '--json'], capture_output=True, text=True).stdout)
        prof.write(f'\n## User {done} profile (top 10 keywords)\n')
        for kw in pp['keywords'][:10]:
            ev = kw['evidence'][0]['sentence'] if kw.get('evidence') else ''
            prof.write(f'- **{kw["text"]}** ({"likes" if kw["polarity"] == 0 else "dislikes"}): "{ev}"\n')
print(f'{n} cases from {done} users')
