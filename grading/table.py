"""Plain-text tables for the terminal."""


def format_table(headers, rows):
    """Left-aligned columns separated by two spaces, with a rule under the header."""
    cells = [[str(v) for v in headers]] + [[str(v) for v in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = ["  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip()
             for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def points(value):
    """7.0 -> '7', 2.5 -> '2.5', None -> '-'."""
    return "-" if value is None else f"{value:g}"
