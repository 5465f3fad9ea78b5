"""Weekly crypto market brief: data in, a finished brief (HTML, PDF, Markdown, JSON) out.

The pipeline is a straight line of stages, each a module with a typed result:
source -> validated market data (market) -> week facts (facts) -> story (story)
-> charts (charts) -> renderers (render) -> files (output). `pipeline.build_brief`
runs them in order.
"""

__version__ = "0.1.0"
