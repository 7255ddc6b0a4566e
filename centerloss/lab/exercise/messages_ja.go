package exercise

// japanese is the checker in Japanese, as a Japanese teacher would say it: the field's terms (特徴ベクトル, 中心,
// 勾配, ミニバッチ), the code's names as they are.
var japanese = Messages{
	PassLoss:   "✓ %s は %s と %d 個のバッチで一致しました（値と勾配）",
	PassUpdate: "✓ %s は %s と %d 個のバッチで一致しました（すべてのクラスの新しい中心、α = %s）",
	Fail:       "✗ バッチ %q: %s",
	FailAlpha:  "✗ バッチ %q（α = %g）: %s",

	NilLoss:   "✗ %s が nil を返しています: TODO の箇所に損失を書いてください",
	NilUpdate: "✗ %s が nil を返しています: TODO の箇所に中心の更新を書いてください",
	Panicked:  "%s が panic しました: %s",
	Broken:    "GoMLX がチェック用のグラフを作れないか、実行できませんでした: %s",
	NoBackend: "✗ チェックを実行するバックエンドがありません: %s",

	WantScalar:  "%s の返す形が %s です: スカラー（形 []）を返してください",
	WantCenters: "%s の返す形が %s です: 中心と同じ形 %s を返してください",
	WantDType:   "%s が %s の値を返しています: 特徴ベクトルと同じ %s にしてください",

	Loss:            "損失が %s ですが、ライブラリの値は %s です",
	HintHalf:        "（ちょうど 2 倍です: ½ を掛け忘れていませんか？）",
	HintSum:         "（ちょうど %d 倍、バッチサイズ倍です: バッチで平均せずに合計していませんか？）",
	HintSumHalf:     "（ちょうど %d 倍、バッチサイズの 2 倍です: バッチで平均し、½ を掛けてください）",
	HintFeatureMean: "（ちょうど %d 分の 1 です: 二乗は特徴の軸で合計し、平均はバッチについてだけ取ってください）",

	Gradient:         "サンプル %d の勾配が %s ですが、ライブラリの値は %s です",
	HintZeroGradient: "（損失が特徴ベクトルまで届いていません: 特徴ベクトルを StopGradient の後ろに置いていませんか？）",
	CenterGradient: "勾配が中心にまで届いています: クラス %d では %s、ライブラリでは %s です" +
		"（中心は graph.StopGradient の後ろに置いてください: 中心を動かすのはオプティマイザではなく式 (4) です）",

	Absent:    "バッチにないクラス %d の中心が %s から %s に動いています: バッチに現れないクラスの中心は動かしてはいけません",
	Moved:     "クラス %d（%s）: 新しい中心が %s、ライブラリでは %s で、%s ずれています",
	Samples:   "サンプル %d 個",
	OneSample: "サンプル 1 個",
	HintNaN:   "（NaN です: n_j = 0 のクラスで 0/0 になっています。式 (4) の分母は 1 + n_j です）",
	HintNj:    "（n_j で割っています: 式 (4) は 1 + n_j で割ります。1 個しか現れないクラスの中心がそのサンプルに飛び移らないためです）",
	HintSign:  "（中心がサンプルから遠ざかっています: c_j ← c_j − α·Δc_j、Δc_j = Σ (c_j − x_i)/(1 + n_j) です）",
	HintBatchMean: "（中心がバッチ全体の平均に向かっています: 式 (4) が c_j を近づけるのは、クラス j のサンプル" +
		"（i: y_i = j）だけです）",

	UnknownSolution: "%q という解答はありません: 演習は %s です",
}
