#!/usr/bin/python3
"""CI check of the Grafana dashboard (run by .ci/containers with Debian's /usr/bin/python3).

    check_dashboard.py DASHBOARD.json DATASOURCES.yml SCRAPE.txt

- the dashboard is valid JSON with a uid, a title and panels that have PromQL queries;
- every panel and query names a datasource uid that the provisioning file defines;
- every query is valid PromQL: promtool check rules, on recording rules made of the queries
  (Grafana's $__rate_interval, $__interval and $__range replaced by durations);
- every metric name a query names is a series of SCRAPE.txt (a real scrape of a running replica's
  /metrics), except the series Prometheus itself adds to every scrape (up, scrape_*), named as such.
Exit 1 with every problem listed.
"""
import json
import os
import re
import subprocess
import sys
import tempfile

import yaml

# Series Prometheus attaches to every target it scrapes: never in the target's own /metrics.
SCRAPE_SERIES = {'up', 'scrape_duration_seconds', 'scrape_samples_scraped', 'scrape_samples_post_metric_relabeling', 'scrape_series_added'}
GRAFANA_VARIABLES = {'$__rate_interval': '1m', '$__interval': '15s', '$__range': '1h'}
KEYWORDS = {'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'and', 'or', 'unless', 'atan2', 'inf', 'nan'}


def metric_names(expr):
    """Metric names a PromQL expression selects: identifiers that are not functions, aggregations,
    keywords, label names (inside {} or the lists of by/without/on/ignoring/group_*) or durations."""
    text = re.sub(r'"(?:[^"\\]|\\.)*"|\'(?:[^\'\\]|\\.)*\'|`[^`]*`', '""', expr)  # string literals
    text = re.sub(r'\{[^{}]*\}', ' ', text)  # label matchers
    text = re.sub(r'\[[^\[\]]*\]', ' ', text)  # ranges and subqueries
    text = re.sub(r'\b(by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)', ' ', text)
    text = re.sub(r'\boffset\s+-?[0-9a-z]+', ' ', text)
    names = set()
    for match in re.finditer(r'(?<![\w.:])[a-zA-Z_:][a-zA-Z0-9_:]*', text):
        name = match.group(0)
        if re.match(r'\s*\(', text[match.end():]) or name.lower() in KEYWORDS:
            continue
        names.add(name)
    return names


def panels_of(node):
    for panel in node.get('panels', []):
        yield panel
        yield from panels_of(panel)  # rows hold panels of their own


def main(dashboard_path, datasources_path, scrape_path):
    problems = []
    with open(dashboard_path, encoding='utf-8') as f:
        dashboard = json.load(f)  # invalid JSON: the exception names the line
    with open(datasources_path, encoding='utf-8') as f:
        uids = {d.get('uid') for d in yaml.safe_load(f).get('datasources', [])}
    with open(scrape_path, encoding='utf-8') as f:
        exported = {m.group(0) for line in f if not line.startswith('#') for m in [re.match(r'[a-zA-Z_:][a-zA-Z0-9_:]*', line)] if m}
    print(f'dashboard {dashboard.get("title")!r} uid={dashboard.get("uid")!r}; provisioned datasource uids: {sorted(uids)}; '
          f'the scrape has {len(exported)} series names')
    for key in ('uid', 'title', 'panels'):
        if not dashboard.get(key):
            problems.append(f'dashboard has no {key}')

    rules, seen = [], set()
    for panel in panels_of(dashboard):
        if panel.get('type') == 'row':
            continue
        title = panel.get('title', f'panel {panel.get("id")}')
        targets = [t for t in panel.get('targets', []) if t.get('expr')]
        if not targets:
            problems.append(f'{title}: no PromQL query')
        for where in [panel] + targets:
            uid = (where.get('datasource') or {}).get('uid')
            if uid not in uids:
                problems.append(f'{title}: datasource uid {uid!r} is not provisioned')
        for target in targets:
            expr = target['expr']
            for variable, value in GRAFANA_VARIABLES.items():
                expr = expr.replace(variable, value)
            names = metric_names(expr)
            rules.append({'record': f'dashboard:panel{panel.get("id")}_{target.get("refId")}', 'expr': expr})
            if not names:
                problems.append(f'{title}: no metric name in {target["expr"]!r}')
            for name in sorted(names):
                seen.add(name)
                if name in exported:
                    verdict = 'in /metrics'
                elif name in SCRAPE_SERIES:
                    verdict = 'added by Prometheus to every scrape'
                else:
                    verdict = 'NOT in /metrics'
                    problems.append(f'{title}: {name} is not a series of /metrics')
                print(f'  {title:<22} {name:<40} {verdict}')

    with tempfile.NamedTemporaryFile('w', suffix='.yml', delete=False) as f:
        json.dump({'groups': [{'name': 'dashboard', 'rules': rules}]}, f)  # JSON is YAML
    try:
        check = subprocess.run(['promtool', 'check', 'rules', f.name], capture_output=True, text=True)
    finally:
        os.unlink(f.name)
    if check.returncode != 0:
        problems.append('promtool check rules rejects a query:\n' + check.stdout + check.stderr)
    else:
        print(f'promtool check rules: all {len(rules)} queries are valid PromQL')

    if problems:
        print('\n'.join(['dashboard problems:'] + [f'  - {p}' for p in problems]), file=sys.stderr)
        return 1
    print(f'dashboard ok: {len(rules)} queries, {len(seen)} metric names, each exported by /metrics or added by Prometheus')
    return 0


if __name__ == '__main__':
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
