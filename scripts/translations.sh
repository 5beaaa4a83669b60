#!/usr/bin/env bash
# Refresh the translation sources from the code and compile them: scripts/translations.sh
#
# 1. lupdate scans cowapp/ui for self.tr(...), QCoreApplication.translate(...) and
#    QT_TRANSLATE_NOOP(...) and merges new or changed English source strings into
#    resources/translations/cowapp_nl.ts (every message) and cowapp_en.ts (plural messages
#    only: English text is the source itself, except "%n issue(s)" needs its two forms).
#    Existing translations are kept; a new string arrives as type="unfinished"; strings gone
#    from the code are dropped (git has them).
# 2. Translate: pyside6-linguist resources/translations/cowapp_nl.ts (or edit the XML), mark
#    each message finished; keep every %1, %2 and %n of the source.
# 3. Run this script again: lrelease compiles the .ts files into the .qm files the app loads.
#    Commit .ts and .qm together; tests/gui/test_i18n.py fails on an untranslated string, a
#    dropped placeholder or a .qm that does not match its .ts.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.venv/bin
dir=resources/translations
# Files, not the folder: lupdate's folder scan skips .py files.
mapfile -t sources < <(find cowapp/ui -name '*.py' | LC_ALL=C sort)
common=("${sources[@]}" -source-language en -locations none -no-obsolete -silent)

"$bin/pyside6-lupdate" "${common[@]}" -target-language nl -ts "$dir/cowapp_nl.ts"
"$bin/pyside6-lupdate" "${common[@]}" -target-language en -pluralonly -ts "$dir/cowapp_en.ts"
for ts in "$dir"/cowapp_*.ts; do
  "$bin/pyside6-lrelease" -silent "$ts" -qm "${ts%.ts}.qm"
done

unfinished=$(grep -c 'type="unfinished"' "$dir"/cowapp_*.ts || true)
printf '%s\n' "$unfinished" | grep -v ':0$' | sed 's/^/translations: still to translate: /' >&2 || true
