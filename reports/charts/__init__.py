"""Charts: drawing the story's figures with matplotlib and encoding them as PNG.

`canvas` holds the style and the shared pieces, `market` and `asset` the drawers of each figure
family, `draw` the one registry of chart kinds (`DRAWERS`) and the drawing.
"""
