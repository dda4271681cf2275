# Loaded by every Jupyter command `make lab` runs (JUPYTER_CONFIG_DIR points here): `jupyter trust` records the
# series' notebooks as trusted in this project's own database, which the server then reads, so opening them
# prints no "Notebook ... is not trusted" notice.
from pathlib import Path

c = get_config()  # noqa: F821 (provided by Jupyter when it loads this file)
DATA = Path(__file__).resolve().parent.parent / "data"  # jupyter/data, git-ignored
DATA.mkdir(exist_ok=True)
c.NotebookNotary.db_file = str(DATA / "nbsignatures.db")
c.NotebookNotary.secret_file = str(DATA / "notebook_secret")
