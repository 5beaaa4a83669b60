"""Dutch and English on the cart: loads the compiled translations and switches them at runtime.

Source strings in code are English (``self.tr("...")``, ``QCoreApplication.translate(context,
"...")``, or ``QT_TRANSLATE_NOOP`` for module constants, translated where they are shown). Dutch
is the default. `Translator.switch` installs ``cowapp_<language>.qm`` and Qt's own
``qtbase_<language>.qm`` (dialog buttons); Qt then sends ``QEvent.LanguageChange`` to every widget,
and each screen re-translates its texts in ``changeEvent`` (see ``HomeWindow.retranslate_ui``).

Placeholders follow Qt: ``%1``, ``%2`` filled with `arg`, and ``%n`` with a count passed as the
``n`` argument of ``tr``/``translate`` so Dutch gets its own plural. Workflow: see
``scripts/translations.sh``.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QLibraryInfo, QLocale, QTranslator

from cowapp.domain.errors import ValidationError
from cowapp.domain.taxonomy import Taxonomy

log = logging.getLogger(__name__)

LANGUAGES: dict[str, str] = {"nl": "Nederlands", "en": "English"}
"""The languages the cart speaks, each named in itself (a lost reader still finds their own)."""

DEFAULT_LANGUAGE = "nl"

_PLACEHOLDER = re.compile(r"%([1-9])")


def arg(text: str, *values: object) -> str:
    """Fill Qt-style ``%1``…``%9`` placeholders in one pass, like ``QString::arg``.

    One pass means a value that itself contains ``%2`` is not filled again, and a translation may
    put the placeholders in any order.

    Args:
        text: a translated text, e.g. ``"Kar %1 · %2"``.
        *values: ``%1`` is the first value, ``%2`` the second…

    Returns:
        The text with every placeholder that has a value replaced by ``str(value)``.
    """

    def fill(match: re.Match[str]) -> str:
        index = int(match.group(1)) - 1
        return str(values[index]) if index < len(values) else match.group(0)

    return _PLACEHOLDER.sub(fill, text)


class Translator:
    """Keeps one language installed on the application and switches it on request.

    Not thread-safe: call it on the GUI thread. Keep the object alive as long as the application
    (it owns the installed `QTranslator` objects).

    Args:
        app: the application to install translations on.
        directory: where ``cowapp_nl.qm`` and ``cowapp_en.qm`` are
            (``paths.resources_dir() / "translations"``).
    """

    def __init__(self, app: QCoreApplication, directory: Path) -> None:
        self._app = app
        self._directory = directory
        self._installed: list[QTranslator] = []
        self._language: str | None = None
        self._original_locale = QLocale()

    @property
    def language(self) -> str | None:
        """The installed language; None before the first `switch` or after a failed one."""
        return self._language

    def switch(self, language: str) -> bool:
        """Show the screens in another language from now on.

        Widgets receive ``QEvent.LanguageChange`` (posted: it arrives on the next pass of the
        event loop) and re-translate themselves.

        Args:
            language: ``nl`` or ``en``.

        Returns:
            False if cowapp's own translation file could not be loaded; the screens then show the
            English source texts and the problem is logged (a broken install must not keep a nurse
            from reporting a problem).

        Raises:
            ValueError: the language is not one of `LANGUAGES`.
        """
        if language not in LANGUAGES:
            raise ValueError(f"unknown language {language!r}; expected one of {list(LANGUAGES)}")
        if language == self._language:
            return True
        self._remove()
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if not self._install(f"qtbase_{language}", qt_dir):
            log.info("no Qt translation for %s in %s; Qt dialogs stay English", language, qt_dir)
        if not self._install(f"cowapp_{language}", str(self._directory)):
            log.error("cannot load cowapp_%s.qm in %s; showing English", language, self._directory)
            return False
        QLocale.setDefault(QLocale(language))  # numbers and dates to match
        self._language = language
        return True

    def uninstall(self) -> None:
        """Remove the installed translations and locale (screens fall back to English sources)."""
        self._remove()
        QLocale.setDefault(self._original_locale)

    def _remove(self) -> None:
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed.clear()
        self._language = None

    def _install(self, name: str, directory: str) -> bool:
        translator = QTranslator()
        if not translator.load(name, directory):
            return False
        self._app.installTranslator(translator)
        self._installed.append(translator)
        return True


class Retranslating:
    """Mixin for a widget that sets its texts in ``retranslate_ui()``: calls it again whenever
    the application's language changes (Qt sends every widget a LanguageChange event when a
    translator is installed). List it before the Qt base: ``class Screen(Retranslating, QWidget)``.
    """

    def retranslate_ui(self) -> None:
        """Set every text in the installed language (the widget defines it)."""
        raise NotImplementedError

    def changeEvent(self, event: QEvent, /) -> None:  # noqa: N802 (Qt's name)
        """Re-translate on a language change, then let the Qt base class handle the event."""
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate_ui()
        super().changeEvent(event)  # type: ignore[misc]  # the Qt base follows in the MRO


def installed_language() -> str:
    """The language installed now (``nl`` or ``en``): `Translator.switch` sets the default locale
    to it, so every widget reads the same answer without being told."""
    return "nl" if QLocale().language() == QLocale.Language.Dutch else "en"


def category_label(taxonomy: Taxonomy, code: str, subcategory: str | None = None) -> str:
    """A category (and subcategory) as the taxonomy names it in the installed language; the codes
    themselves when the taxonomy does not know them (an issue from an older taxonomy)."""
    lang = installed_language()
    try:
        category = taxonomy.category(code)
        text = category.label(lang)
        if subcategory:
            text += " › " + category.subcategory(subcategory).label(lang)
    except ValidationError:
        return " › ".join(part for part in (code, subcategory) if part)
    return text
