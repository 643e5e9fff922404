/// Random-policy figures of the reference implementation (minatar 1.0.15 from PyPI), recorded
/// with `docs/rl.md`'s command:
/// `/tmp/minatarvenv/bin/python scripts/minatar-reference.py --episodes 1000 --seed 0`
/// (uniform random actions over the minimal set, sticky p = 0.1, ramping on).
struct ReferenceFigure {
    let episodes: Int
    let returnMean: Double, returnSE: Double
    let lengthMean: Double, lengthSE: Double
}

let referenceFigures: [String: ReferenceFigure] = [
    "asterix": ReferenceFigure(episodes: 1000, returnMean: 0.486, returnSE: 0.02829495722924148,
                               lengthMean: 67.33, lengthSE: 1.3229055821105222),
    "breakout": ReferenceFigure(episodes: 1000, returnMean: 0.363, returnSE: 0.019990763633003884,
                                lengthMean: 9.676, lengthSE: 0.2052343663842514),
    "freeway": ReferenceFigure(episodes: 1000, returnMean: 0.374, returnSE: 0.019091581613069373,
                               lengthMean: 2501.0, lengthSE: 0),
    "seaquest": ReferenceFigure(episodes: 1000, returnMean: 0.115, returnSE: 0.012725444469131009,
                                lengthMean: 31.128, lengthSE: 1.18378501551716),
    "space_invaders": ReferenceFigure(episodes: 1000, returnMean: 4.015, returnSE: 0.10152380056953188,
                                      lengthMean: 58.103, lengthSE: 1.4828888529995599),
]
