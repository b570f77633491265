"""The weekly report as files: an HTML document and a PDF, the same bytes every time.

``render_html`` fills a Django template (the charts are SVG images inside it as data
URIs, so the file stands alone); ``render_pdf`` lays the same tables and charts (PNG) out
with ReportLab. Both read only :class:`~carerecruit.reports.figures.WeeklyReportData`,
whose cells are already formatted strings.

Byte-for-byte rebuilds: the PDF is made with ReportLab's ``invariant=1`` (a fixed
creation date and document ID instead of the clock and a random one) and the standard
Helvetica fonts (nothing embedded from the machine); the charts come from vl-convert,
which draws the same pixels for the same spec. Nothing here reads the clock.
"""

from __future__ import annotations

import base64
import hashlib
import io
from dataclasses import dataclass
from xml.sax.saxutils import escape

from django.template.loader import render_to_string

from carerecruit.reports.figures import Chart, Table, WeeklyReportData, build_report
from carerecruit.reports.weeks import IsoWeek

PDF_CONTENT_TYPE = "application/pdf"
HTML_CONTENT_TYPE = "text/html; charset=utf-8"
NOT_AVAILABLE_TEXT = "–"


@dataclass(frozen=True)
class ReportFiles:
    """A week's report as bytes, with file names and hex SHA-256 digests."""

    week: IsoWeek
    html: bytes
    pdf: bytes

    @property
    def html_name(self) -> str:
        return f"weekly-report-{self.week.key}.html"

    @property
    def pdf_name(self) -> str:
        return f"weekly-report-{self.week.key}.pdf"

    @property
    def html_sha256(self) -> str:
        return hashlib.sha256(self.html).hexdigest()

    @property
    def pdf_sha256(self) -> str:
        return hashlib.sha256(self.pdf).hexdigest()


def svg_data_uri(chart: Chart) -> str:
    """The chart's SVG as a ``data:`` URI for an ``<img>``."""
    return "data:image/svg+xml;base64," + base64.b64encode(chart.svg).decode("ascii")


def report_context(report: WeeklyReportData) -> dict:
    """The template context shared by the HTML file, the e-mail and the staff page."""
    sections = [
        {"section": section, "charts": [(chart, svg_data_uri(chart)) for chart in section.charts]}
        for section in report.sections
    ]
    return {"report": report, "sections": sections}


def render_html(report: WeeklyReportData) -> bytes:
    """The standalone HTML report (UTF-8): what the e-mail's HTML part holds and
    ``carerecruit report --out`` writes."""
    return render_to_string("reports/report.html", report_context(report)).encode("utf-8")


TEXT_HEADLINE = ("clicks", "visits", "applications", "placed", "spend_pence", "cost_per_application")


def render_text(report: WeeklyReportData) -> str:
    """The plain-text e-mail body: the headline figures and where the rest is."""
    headline = report.headline
    lines = [
        (row.cells[0], row.cells[1] or NOT_AVAILABLE_TEXT, row.cells[2] or NOT_AVAILABLE_TEXT)
        for row in headline.rows if row.key in TEXT_HEADLINE
    ]
    f = report.figures
    lines += [
        ("Placements confirmed", f"{f['placements']:,}", None),
        ("Retention checkpoints answered", f"{f['checkpoints_answered']:,}", None),
        ("Retention checkpoints overdue at the week's end", f"{f['checkpoints_overdue']:,}", None),
        ("Alerts raised", f"{f['alerts']:,}", None),
    ]
    return render_to_string("reports/email/report.txt", {"report": report, "lines": lines})


# --- PDF ---------------------------------------------------------------------------------


def _styles():
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

    sheet = getSampleStyleSheet()
    black = colors.HexColor("#0b0c0c")
    return {
        "title": ParagraphStyle("cr-title", parent=sheet["Title"], fontName="Helvetica-Bold",
                                fontSize=20, leading=24, alignment=0, textColor=black, spaceAfter=4),
        "subtitle": ParagraphStyle("cr-subtitle", parent=sheet["Normal"], fontSize=13, leading=17,
                                   textColor=black, spaceAfter=6),
        "h2": ParagraphStyle("cr-h2", parent=sheet["Heading2"], fontName="Helvetica-Bold", fontSize=15,
                             leading=19, textColor=black, spaceBefore=12, spaceAfter=6),
        "h3": ParagraphStyle("cr-h3", parent=sheet["Heading3"], fontName="Helvetica-Bold", fontSize=11,
                             leading=14, textColor=black, spaceBefore=8, spaceAfter=4),
        "body": ParagraphStyle("cr-body", parent=sheet["Normal"], fontSize=10, leading=13.5,
                               textColor=black, spaceAfter=6),
        "small": ParagraphStyle("cr-small", parent=sheet["Normal"], fontSize=8.5, leading=11,
                                textColor=colors.HexColor("#484949")),
        "cell": ParagraphStyle("cr-cell", parent=sheet["Normal"], fontSize=8, leading=10, textColor=black),
        "cell-head": ParagraphStyle("cr-cell-head", parent=sheet["Normal"], fontName="Helvetica-Bold",
                                    fontSize=8, leading=10, textColor=black),
        "number": ParagraphStyle("cr-number", parent=sheet["Normal"], fontSize=8, leading=10,
                                 textColor=black, alignment=TA_RIGHT),
        "number-head": ParagraphStyle("cr-number-head", parent=sheet["Normal"], fontName="Helvetica-Bold",
                                      fontSize=8, leading=10, textColor=black, alignment=TA_RIGHT),
    }


def _para(text: str | None, style):
    from reportlab.platypus import Paragraph

    return Paragraph(escape(NOT_AVAILABLE_TEXT if text is None else text), style)


CELL_PADDING = 6.0


def _column_widths(table: Table, width: float) -> list[float]:
    """Each number column as wide as its widest cell or the longest word of its heading;
    the text columns share what is left (at least a quarter of the width between them)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    numeric = {}
    for i, column in enumerate(table.columns):
        if not column.numeric:
            continue
        words = [stringWidth(word, "Helvetica-Bold", 8) for word in column.label.split()]
        cells = [
            stringWidth(row.cells[i] or NOT_AVAILABLE_TEXT, "Helvetica", 8)
            for row in table.rows + ([table.footer] if table.footer else [])
        ]
        numeric[i] = max(words + cells + [24.0]) + CELL_PADDING
    text_columns = len(table.columns) - len(numeric)
    room = width - sum(numeric.values())
    if text_columns and room < width / 4:
        scale = (width * 3 / 4) / sum(numeric.values())
        numeric = {i: w * scale for i, w in numeric.items()}
        room = width / 4
    if not text_columns:
        return [numeric[i] for i in range(len(table.columns))]
    return [numeric.get(i, room / text_columns) for i in range(len(table.columns))]


def _pdf_table(table: Table, width: float, styles) -> list:
    from reportlab.lib import colors
    from reportlab.platypus import KeepTogether, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    caption = _para(table.caption, styles["h3"])
    if not table.rows and table.footer is None:
        return [KeepTogether([caption, _para(table.empty, styles["body"])])]
    head = [
        _para(c.label, styles["number-head"] if c.numeric else styles["cell-head"]) for c in table.columns
    ]
    rows = [head]
    for row in table.rows + ([table.footer] if table.footer else []):
        rows.append([
            _para(cell, styles["number"] if column.numeric else styles["cell"])
            for column, cell in zip(table.columns, row.cells, strict=True)
        ])
    widths = _column_widths(table, width)
    style = [
        ("LINEBELOW", (0, 0), (-1, 0), 1, colors.HexColor("#0b0c0c")),
        ("LINEBELOW", (0, 1), (-1, -1), 0.5, colors.HexColor("#b1b4b6")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
    ]
    if table.footer is not None:
        style.append(("LINEABOVE", (0, -1), (-1, -1), 1, colors.HexColor("#0b0c0c")))
    pdf_table = PdfTable(rows, colWidths=widths, repeatRows=1, hAlign="LEFT")
    pdf_table.setStyle(TableStyle(style))
    notes = [] if table.rows else [_para(table.empty, styles["small"])]
    return [KeepTogether([caption, pdf_table]), *notes, Spacer(1, 6)]


def _pdf_chart(chart: Chart, width: float, styles) -> list:
    from PIL import Image as PILImage
    from reportlab.platypus import Image, KeepTogether

    # vl-convert draws RGBA on a white background; without the alpha channel ReportLab
    # embeds one image, not an image and its soft mask.
    with PILImage.open(io.BytesIO(chart.png)) as image:
        pixels_wide, pixels_high = image.size
        rgb = io.BytesIO()
        image.convert("RGB").save(rgb, format="PNG")
    # Drawn at most the frame's width, and never larger than 1 pixel per point at 2×.
    drawn_width = min(width, pixels_wide / 2)
    drawn_height = drawn_width * pixels_high / pixels_wide
    picture = Image(io.BytesIO(rgb.getvalue()), width=drawn_width, height=drawn_height, hAlign="LEFT")
    return [KeepTogether([picture, _para(chart.description, styles["small"])])]


def render_pdf(report: WeeklyReportData) -> bytes:
    """The PDF report (A4): title, dates, the headline table, then each section's
    paragraphs, tables and charts. Same bytes for the same report (``invariant=1``)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    styles = _styles()
    buffer = io.BytesIO()
    margin = 16 * mm
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=margin, rightMargin=margin, topMargin=margin,
        bottomMargin=margin + 4 * mm, invariant=1,
        title=f"{report.title}: {report.site_name}", author=report.site_name,
        subject=report.subtitle, creator="carerecruit", lang="en-GB",
    )
    width = doc.width
    story = [
        _para(report.title, styles["title"]),
        _para(report.subtitle, styles["subtitle"]),
        _para(report.as_at, styles["body"]),
        _para("This week at a glance", styles["h2"]),
        *_pdf_table(report.headline, width * 0.7, styles),
    ]
    for section in report.sections:
        story.append(_para(section.title, styles["h2"]))
        story.extend(_para(p, styles["body"]) for p in section.paragraphs)
        for table in section.tables:
            story.extend(_pdf_table(table, width, styles))
        for chart in section.charts:
            story.extend(_pdf_chart(chart, width, styles))

    footer = f"{report.site_name}: weekly report {report.week.key} ({report.subtitle})"

    def on_page(canvas, doc):
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(margin, margin * 0.6, footer)
        canvas.drawRightString(A4[0] - margin, margin * 0.6, f"Page {doc.page}")
        canvas.restoreState()

    doc.build(story, onFirstPage=on_page, onLaterPages=on_page)
    return buffer.getvalue()


def build_files(week: IsoWeek) -> ReportFiles:
    """Build ``week``'s report and render both files."""
    report = build_report(week)
    return ReportFiles(week, render_html(report), render_pdf(report))
