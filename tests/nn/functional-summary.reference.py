# Keras 3's print_summary table (keras/src/utils/summary_utils.py), fed the chapter-10 Wide & Deep
# model's rows, rendered by the real `rich` library: the expected texts of functional-summary.test.ts.
# Usage: COLUMNS=112 python3 functional-summary.reference.py 108 [chain] [adam]   (needs python3-rich)
import rich, rich.console, rich.markup, rich.table, sys
def hn(x): return f"[color(45)]{x}[/]" if x is None else f"[color(34)]{x}[/]"
def hs(x): return f"[color(33)]{x}[/]"
def bold(x): return f"[bold]{x}[/]"
def shape(s): return f"({', '.join(hn(x) for x in s)})"
def conn(pairs): return ", ".join(f"{n}[{hn(0)}][{hn(0)}]" for n in pairs) or "-"
rows = [("input_layer","InputLayer",(None,8),0,[]),("normalization","Normalization",(None,8),17,["input_layer"]),
        ("dense","Dense",(None,30),270,["normalization"]),("dense_1","Dense",(None,30),930,["dense"]),
        ("concatenate","Concatenate",(None,38),0,["normalization","dense_1"]),("dense_2","Dense",(None,1),39,["concatenate"])]
if 'chain' in sys.argv:  # a chain variant: no Concatenate, dense_2 on dense_1
    rows = [r for r in rows if r[0] != 'concatenate'][:-1] + [("dense_2","Dense",(None,1),31,["dense_1"])]
line_length = int(sys.argv[1])
chain = 'chain' in sys.argv
positions = [0.45, 0.80, 1.0] if chain else [0.3, 0.56, 0.74, 1.0]
header = ["Layer (type)", "Output Shape", "Param #"] + ([] if chain else ["Connected to"])
alignment = ["left", "left", "right", "left"]
widths = []; cur = 0
for p in positions:
    w = int(p * line_length) - cur; widths.append(w); cur += w
table = rich.table.Table(*[rich.table.Column(h, justify=alignment[i], width=widths[i]) for i, h in enumerate(header)], width=line_length, show_lines=True)
for name, cls, s, params, c in rows:
    f = [rich.markup.escape(name) + f" ({hs(rich.markup.escape(cls))})", shape(s), hn(f"{params:,}")]
    if not chain: f.append(conn(c))
    table.add_row(*f)
def mem(b):
    for u in ["B","KB","MB","GB","TB","PB"]:
        if b / 1024 < 1: return "{:.2f} {}".format(b, u)
        b /= 1024
tr = 1239 if not chain else 1231; nt = 17
console = rich.console.Console(highlight=False, force_terminal=False, color_system=None)
console.begin_capture()
console.print(bold('Model: "functional"'))
console.print(table)
opt = 2 + 2 * tr if 'adam' in sys.argv else 0  # Adam after a step: iteration (int64), learning_rate, m and v per weight
opt_bytes = 8 + 4 + 2 * 4 * tr if opt else 0
console.print(bold(" Total params: ") + hn(f"{tr+nt+opt:,}") + f" ({mem(tr*4+72+opt_bytes)})")
console.print(bold(" Trainable params: ") + hn(f"{tr:,}") + f" ({mem(tr*4)})")
console.print(bold(" Non-trainable params: ") + hn(f"{nt:,}") + f" ({mem(72)})")
if opt: console.print(bold(" Optimizer params: ") + hn(f"{opt:,}") + f" ({mem(opt_bytes)})")
sys.stdout.write(console.end_capture())
