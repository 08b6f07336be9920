"""The GUI fixtures of tests/app that suit hostile tests too: settings and recovery files in a private
folder (a monkey must not leave floating docks or recent files in the user's real configuration), and no
worker thread outliving its test. tests/app's modal-dialog guard is left out: the monkey answers dialogs."""

from tests.app.conftest import _dangling_qthreads, _private_settings  # noqa: F401 (autouse fixtures)
