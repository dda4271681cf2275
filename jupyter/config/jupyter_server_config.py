# `make lab`'s Jupyter server configuration (the Makefile points JUPYTER_CONFIG_DIR here): the project's own
# settings and workspace, so nothing from (or into) the user's global JupyterLab state, no news pop-up, no
# update check, and it opens on notebooks/00_start_here.ipynb. Still localhost with a token: the token is
# generated at start (IdentityProvider.token, the current name of ServerApp.token) and printed in the URL.
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent  # jupyter/
c = get_config()  # noqa: F821 (provided by Jupyter when it loads this file)

c.ServerApp.ip = "localhost"
c.ServerApp.root_dir = str(HERE.parent / "notebooks")
c.LabApp.default_url = "/lab/tree/00_start_here.ipynb"
c.LabApp.user_settings_dir = str(HERE / "settings")     # git-ignored
c.LabApp.workspaces_dir = str(HERE / "workspaces")      # git-ignored
c.LabApp.news_url = None                                # no Jupyter news feed (see also labconfig/)
c.LabApp.check_for_updates_class = "jupyterlab.NeverCheckForUpdate"
# notebook_shim's server extension only loads the classic notebook server's extensions (this project has none);
# when it links, it reads every ServerApp attribute, which is what prints jupyter-server's
# "ServerApp.token config is deprecated" DeprecationWarning. JupyterLab and Notebook 7 work without it.
c.ServerApp.jpserver_extensions = {"notebook_shim": False}
