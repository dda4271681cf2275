"""One module of explorers per notebook; each exports `*_explorer()` builders and a BENCH dict
{builder name: {control: value}} with the biggest settings its sliders allow (for `make bench`)."""
from .saturation import *  # noqa: F401,F403  notebook 01
from .variance import *  # noqa: F401,F403  notebook 02
from .initialization import *  # noqa: F401,F403  notebook 03
from .dying_relu import *  # noqa: F401,F403  notebook 04
from .normalization import *  # noqa: F401,F403  notebook 05
from .papers import *  # noqa: F401,F403  notebook 06
