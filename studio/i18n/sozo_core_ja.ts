<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja" sourcelanguage="en">
<context>
    <name>About</name>
    <message>
        <source>&lt;p&gt;創造 — a desktop studio for generative AI that runs on your own machine.&lt;/p&gt;</source>
        <translation>&lt;p&gt;創造 — 手元のマシンで動く、生成 AI のためのデスクトップ スタジオ。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Licensed under Apache-2.0. Models and their licences (Tools → Models shows each model&apos;s training data):&lt;/p&gt;</source>
        <translation>&lt;p&gt;Apache-2.0 ライセンスで提供しています。モデルとそのライセンス（各モデルの学習データは「ツール → モデル」で確認できます）：&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Data sets and components:&lt;/p&gt;</source>
        <translation>&lt;p&gt;データセットとコンポーネント：&lt;/p&gt;</translation>
    </message>
    <message>
        <source>About %1</source>
        <translation>%1 について</translation>
    </message>
</context>
<context>
    <name>BatchDialog</name>
    <message>
        <source>Batch</source>
        <translation>バッチ</translation>
    </message>
    <message>
        <source>a batch file (.toml)</source>
        <translation>バッチファイル (.toml)</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>選択…</translation>
    </message>
    <message>
        <source>Choose a batch file to see what it makes.</source>
        <translation>バッチファイルを選ぶと、作られるものが表示されます。</translation>
    </message>
    <message>
        <source>On this machine</source>
        <translation>このマシンで</translation>
    </message>
    <message>
        <source>On a Ray cluster</source>
        <translation>Ray クラスターで</translation>
    </message>
    <message>
        <source>&apos;local&apos; starts a cluster on this machine; or ray://host:10001, or auto</source>
        <translation>「local」でこのマシンにクラスターを起動します。または ray://host:10001、auto</translation>
    </message>
    <message>
        <source>File</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <source>Ray address</source>
        <translation>Ray のアドレス</translation>
    </message>
    <message>
        <source>Workers</source>
        <translation>ワーカー数</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>開始</translation>
    </message>
    <message>
        <source>Batch file</source>
        <translation>バッチファイル</translation>
    </message>
    <message>
        <source>Batch files (*.toml)</source>
        <translation>バッチファイル (*.toml)</translation>
    </message>
    <message>
        <source>Makes %1 files (%2) in %3.</source>
        <translation>%3 に %1 個のファイル (%2) を作ります。</translation>
    </message>
    <message>
        <source>%1 are there already and are skipped.</source>
        <translation>%1 個はすでにあるので飛ばします。</translation>
    </message>
    <message>
        <source>Batch: %1</source>
        <translation>バッチ: %1</translation>
    </message>
    <message>
        <source>Running: see the Jobs dock.</source>
        <translation>実行中です。ジョブ一覧をご覧ください。</translation>
    </message>
    <message>
        <source>Done: %1.</source>
        <translation>完了: %1。</translation>
    </message>
    <message>
        <source>Cancelled. Start again to go on where it stopped.</source>
        <translation>キャンセルしました。もう一度開始すると、止まったところから続けます。</translation>
    </message>
    <message>
        <source>The batch failed.</source>
        <translation>バッチが失敗しました。</translation>
    </message>
</context>
<context>
    <name>ClipControls</name>
    <message>
        <source>Click to seek; drag out to a folder or DAW to get the file</source>
        <translation>クリックで再生位置を移動。フォルダーや DAW へドラッグするとファイルを書き出せます</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>再生</translation>
    </message>
    <message>
        <source>Export %1</source>
        <translation>%1 で書き出し</translation>
    </message>
    <message>
        <source>Export as…</source>
        <translation>名前を付けて書き出す…</translation>
    </message>
</context>
<context>
    <name>DeviceState</name>
    <message>
        <source>Detect compute device</source>
        <translation>計算デバイスの検出</translation>
    </message>
    <message>
        <source>Looking for GPUs…</source>
        <translation>GPU を探しています…</translation>
    </message>
    <message>
        <source>The device probe failed: %1</source>
        <translation>デバイスの検出に失敗しました：%1</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完了</translation>
    </message>
</context>
<context>
    <name>DeviceStatusWidget</name>
    <message>
        <source>Device: detecting…</source>
        <translation>デバイス：検出中…</translation>
    </message>
    <message>
        <source>Device: CPU (detection failed)</source>
        <translation>デバイス：CPU（検出に失敗）</translation>
    </message>
</context>
<context>
    <name>EngineMessages</name>
    <message>
        <source>Out of memory: try a smaller model, fewer steps, or the CPU device.</source>
        <translation>メモリが足りません。小さいモデル、少ないステップ数、または CPU デバイスを試してください。</translation>
    </message>
    <message>
        <source>File not found: {name}</source>
        <translation>ファイルが見つかりません: {name}</translation>
    </message>
    <message>
        <source>Permission denied: {name}</source>
        <translation>アクセスが拒否されました: {name}</translation>
    </message>
    <message>
        <source>Internal error ({label}): {first}</source>
        <translation>内部エラー（{label}）: {first}</translation>
    </message>
    <message>
        <source>Internal error ({label})</source>
        <translation>内部エラー（{label}）</translation>
    </message>
    <message>
        <source>available</source>
        <translation>使用可能</translation>
    </message>
    <message>
        <source>the package &apos;{package}&apos; is not installed</source>
        <translation>パッケージ「{package}」がインストールされていません</translation>
    </message>
    <message>
        <source>{name} is not installed: {why}. {hint}</source>
        <translation>{name} はインストールされていません（{why}）。{hint}</translation>
    </message>
    <message>
        <source>{name} is missing the file {path}. {hint}</source>
        <translation>{name} のファイル {path} がありません。{hint}</translation>
    </message>
    <message>
        <source>{name}: {damage}. {hint}</source>
        <translation>{name}: {damage}。{hint}</translation>
    </message>
    <message>
        <source>Install it with: {command}</source>
        <translation>インストールするには: {command}</translation>
    </message>
    <message>
        <source>Retrain it with: {command}</source>
        <translation>学習し直すには: {command}</translation>
    </message>
    <message>
        <source>It ships in assets/; rebuild it with {command}.</source>
        <translation>assets/ に同梱されています。作り直すには {command}</translation>
    </message>
    <message>
        <source>Import it again from its new place if you moved it.</source>
        <translation>移動した場合は、新しい場所からもう一度取り込んでください。</translation>
    </message>
    <message>
        <source>Small chat model by Hugging Face; the embedded default for the Text panel.</source>
        <translation>Hugging Face による小型のチャットモデル。テキストパネルに組み込まれた既定のモデルです。</translation>
    </message>
    <message>
        <source>Trained by Hugging Face on public web, code and maths data (SmolLM2 paper).</source>
        <translation>Hugging Face が公開のウェブ、コード、数学のデータで学習（SmolLM2 の論文）。</translation>
    </message>
    <message>
        <source>English (US) male voice for Piper, 22,050 Hz.</source>
        <translation>Piper 用の英語（米国）の男性の声、22,050 Hz。</translation>
    </message>
    <message>
        <source>Five Japanese voices at 24 kHz whose style vectors can be blended.</source>
        <translation>24 kHz の日本語の声が五つ。声のスタイルベクトルを混ぜ合わせられます。</translation>
    </message>
    <message>
        <source>Samples, encodes and morphs 2-bar melodies; note density, pitch range and syncopation sliders. New melodies are drawn from a kernel density over the training windows&apos; codes (shipped with the weights), not from N(0, I).</source>
        <translation>2 小節のメロディーの生成・符号化・モーフィング。音の密度、音域、シンコペーションのスライダー付き。新しいメロディーは N(0, I) からではなく、学習データの区間の符号（重みと一緒に同梱）のカーネル密度から引きます。</translation>
    </message>
    <message>
        <source>music21&apos;s bundled corpus (BSD-licensed code): O&apos;Neill&apos;s Music of Ireland (1850), Ryan&apos;s Mammoth Collection, Aird&apos;s Airs, miscFolk and the Bach chorales&apos; soprano lines: public-domain tunes in contributed transcriptions. essenFolksong (non-commercial) is left out.</source>
        <translation>music21 に同梱のコーパス（コードは BSD ライセンス）: O&apos;Neill&apos;s Music of Ireland（1850 年）、Ryan&apos;s Mammoth Collection、Aird&apos;s Airs、miscFolk、バッハのコラールのソプラノ声部。いずれもパブリックドメインの曲を有志が採譜したものです。essenFolksong（非商用）は除いています。</translation>
    </message>
    <message>
        <source>Continues a melody by whole bars, conditioned on key and meter.</source>
        <translation>調と拍子を条件に、メロディーを小節単位で続けます。</translation>
    </message>
    <message>
        <source>music21&apos;s bundled corpus (BSD-licensed code): O&apos;Neill&apos;s, Ryan&apos;s Mammoth, Aird&apos;s Airs, miscFolk and Bach chorale soprano lines, public-domain tunes. essenFolksong (non-commercial) is left out.</source>
        <translation>music21 に同梱のコーパス（コードは BSD ライセンス）: O&apos;Neill&apos;s、Ryan&apos;s Mammoth、Aird&apos;s Airs、miscFolk、バッハのコラールのソプラノ声部。いずれもパブリックドメインの曲です。essenFolksong（非商用）は除いています。</translation>
    </message>
    <message>
        <source>The General MIDI instruments the Music panel plays and renders with.</source>
        <translation>音楽パネルが再生と書き出しに使う General MIDI の楽器。</translation>
    </message>
    <message>
        <source>Fluid R3 GM samples, mono version; licence text beside the file.</source>
        <translation>Fluid R3 GM のサンプル（モノラル版）。ライセンス文はファイルの隣にあります。</translation>
    </message>
    <message>
        <source>It ships in assets/soundfonts/; Debian&apos;s fluidr3mono-gm-soundfont package has the same file.</source>
        <translation>assets/soundfonts/ に同梱されています。Debian の fluidr3mono-gm-soundfont パッケージにも同じファイルがあります。</translation>
    </message>
    <message>
        <source>Imported from {path}</source>
        <translation>{path} から取り込み</translation>
    </message>
    <message>
        <source>Faces of people who do not exist; fast latent interpolation.</source>
        <translation>実在しない人の顔。潜在空間での補間が速いモデルです。</translation>
    </message>
    <message>
        <source>Trained on DigiFace-1M (synthetic faces rendered from consented scans), whose licence allows research and non-commercial use only.</source>
        <translation>DigiFace-1M（同意を得たスキャンから描画した合成の顔）で学習。このデータセットのライセンスは研究と非商用の利用のみを認めています。</translation>
    </message>
    <message>
        <source>Its training data set is licensed for non-commercial research: check that your use fits before you publish what it makes.</source>
        <translation>学習データセットのライセンスは非商用の研究用です。作ったものを公開する前に、用途が合っているか確かめてください。</translation>
    </message>
    <message>
        <source>Noto Color Emoji glyphs, OFL-1.1; captions from emoji names (emoji package, BSD) and Unicode emoji groups.</source>
        <translation>Noto Color Emoji のグリフ（OFL-1.1）。説明文は絵文字の名前（emoji パッケージ、BSD）と Unicode の絵文字グループから。</translation>
    </message>
    <message>
        <source>Install its text encoder with: {command} (the weights ship in assets/; rebuild with {rebuild})</source>
        <translation>テキストエンコーダーをインストールするには: {command}（重みは assets/ に同梱。作り直すには {rebuild}）</translation>
    </message>
    <message>
        <source>Encodes and decodes emoji; smooth interpolation between them.</source>
        <translation>絵文字を符号化・復元します。絵文字どうしをなめらかに補間できます。</translation>
    </message>
    <message>
        <source>Noto Color Emoji glyphs, OFL-1.1.</source>
        <translation>Noto Color Emoji のグリフ（OFL-1.1）。</translation>
    </message>
    <message>
        <source>Fast unconditional emoji sampling with GANSpace sliders.</source>
        <translation>GANSpace のスライダー付きで、条件なしに絵文字を素早く生成します。</translation>
    </message>
    <message>
        <source>Small text-to-emoji model trained by the project; prompts are read by {encoder}.</source>
        <translation>このプロジェクトが学習した、テキストから絵文字を作る小型モデル。プロンプトは {encoder} が読みます。</translation>
    </message>
    <message>
        <source>Enlarges the emoji models&apos; pictures to 256x256 (on by default; {option} or the panel&apos;s Upscale switch turns it off).</source>
        <translation>絵文字モデルの画像を 256x256 に拡大します（既定で有効。{option} かパネルの「拡大」スイッチで無効にできます）。</translation>
    </message>
    <message>
        <source>Noto Color Emoji glyphs, OFL-1.1: 64-pixel inputs and 256-pixel targets, both resampled (Lanczos) from the font&apos;s ~136-pixel bitmaps.</source>
        <translation>Noto Color Emoji のグリフ（OFL-1.1）: 64 ピクセルの入力と 256 ピクセルの目標。どちらもフォントの約 136 ピクセルのビットマップから Lanczos で縮尺を変えたものです。</translation>
    </message>
    <message>
        <source>{name} [{language}]</source>
        <translation>{name} [{language}]</translation>
    </message>
    <message>
        <source>{voice} · {name}</source>
        <translation>{voice} · {name}</translation>
    </message>
    <message>
        <source>{name} (blend: {blend})</source>
        <translation>{name}（ブレンド: {blend}）</translation>
    </message>
    <message>
        <source>Alpha (female)</source>
        <translation>アルファ（女性）</translation>
    </message>
    <message>
        <source>Gongitsune (female)</source>
        <translation>ごんぎつね（女性）</translation>
    </message>
    <message>
        <source>Nezumi (female)</source>
        <translation>ねずみ（女性）</translation>
    </message>
    <message>
        <source>Tebukuro (female)</source>
        <translation>てぶくろ（女性）</translation>
    </message>
    <message>
        <source>Kumo (male)</source>
        <translation>くも（男性）</translation>
    </message>
    <message>
        <source>training images for the emoji VAE, GAN, diffusion model, upscaler and classifier</source>
        <translation>絵文字の VAE、GAN、拡散モデル、拡大モデル、分類器の学習用画像</translation>
    </message>
    <message>
        <source>captions for the emoji models</source>
        <translation>絵文字モデルの説明文</translation>
    </message>
    <message>
        <source>emoji categories for captions and the classifier</source>
        <translation>説明文と分類器のための絵文字のカテゴリー</translation>
    </message>
    <message>
        <source>training melodies for the melody VAE and Transformer (essenFolksong left out)</source>
        <translation>メロディー VAE と Transformer の学習用メロディー（essenFolksong は除外）</translation>
    </message>
    <message>
        <source>reads prompts for the emoji diffusion model</source>
        <translation>絵文字の拡散モデルのプロンプトを読む</translation>
    </message>
    <message>
        <source>tokenizer files for Stable Diffusion single-file checkpoints</source>
        <translation>Stable Diffusion の単一ファイルのチェックポイント用トークナイザーのファイル</translation>
    </message>
    <message>
        <source>English phonemes for Piper voices; loaded as a shared library at run time</source>
        <translation>Piper の声のための英語の音素。実行時に共有ライブラリとして読み込みます</translation>
    </message>
    <message>
        <source>Japanese readings for Kokoro voices</source>
        <translation>Kokoro の声のための日本語の読み</translation>
    </message>
    <message>
        <source>Japanese text in the studio&apos;s window, on machines with no Japanese font</source>
        <translation>日本語フォントのないマシンで、スタジオのウィンドウに日本語を表示</translation>
    </message>
    <message>
        <source>plays the soundfont for music</source>
        <translation>音楽のためにサウンドフォントを鳴らす</translation>
    </message>
    <message>
        <source>a whole number from {low} to {high} {why}</source>
        <translation>{low} から {high} までの整数 {why}</translation>
    </message>
    <message>
        <source>a whole number above {low} and at most {high} {why}</source>
        <translation>{low} より大きく {high} 以下の整数 {why}</translation>
    </message>
    <message>
        <source>a number from {low} to {high} {why}</source>
        <translation>{low} から {high} までの数 {why}</translation>
    </message>
    <message>
        <source>a number above {low} and at most {high} {why}</source>
        <translation>{low} より大きく {high} 以下の数 {why}</translation>
    </message>
    <message>
        <source>{name} takes {range}, not {value}</source>
        <translation>{name} には {range}を指定してください（{value} ではなく）</translation>
    </message>
    <message>
        <source>{name} {value} is out of range: give {range}</source>
        <translation>{name} {value} は範囲外です。{range}を指定してください</translation>
    </message>
    <message>
        <source>(0: automatic)</source>
        <translation>（0: 自動）</translation>
    </message>
    <message>
        <source>(0: any free one)</source>
        <translation>（0: 空いているもの）</translation>
    </message>
    <message>
        <source>pixels</source>
        <translation>（ピクセル）</translation>
    </message>
    <message>
        <source>pixels (0: a hard edge)</source>
        <translation>（ピクセル。0: くっきりした境界）</translation>
    </message>
    <message>
        <source>(1: the picture&apos;s own size)</source>
        <translation>（1: 元の画像の大きさ）</translation>
    </message>
    <message>
        <source>(melodies from A to B, both included)</source>
        <translation>（A から B までのメロディーの数。両端を含む）</translation>
    </message>
    <message>
        <source>(0 is greedy)</source>
        <translation>（0: 常に最も確からしい音）</translation>
    </message>
    <message>
        <source>beats per minute</source>
        <translation>（1 分あたりの拍数）</translation>
    </message>
    <message>
        <source>(0 always takes the likeliest token)</source>
        <translation>（0: 常に最も確からしいトークン）</translation>
    </message>
    <message>
        <source>(0 turns it off)</source>
        <translation>（0: 無効）</translation>
    </message>
    <message>
        <source>(1 turns it off)</source>
        <translation>（1: 無効）</translation>
    </message>
    <message>
        <source>(1 is the voice&apos;s pace)</source>
        <translation>（1: 声の本来の速さ）</translation>
    </message>
    <message>
        <source>Building steering vector ({done}/{total})</source>
        <translation>ステアリングベクトルを作成中（{done}/{total}）</translation>
    </message>
    <message>
        <source>{speed} tokens/s</source>
        <translation>{speed} トークン/秒</translation>
    </message>
    <message>
        <source>Reading the tokenizer from {name}</source>
        <translation>{name} からトークナイザーを読み込み中</translation>
    </message>
    <message>
        <source>Packing the GGUF&apos;s weights (layer {layer} of {layers})</source>
        <translation>GGUF の重みを詰め直し中（層 {layer}/{layers}）</translation>
    </message>
    <message>
        <source>Packing the output head</source>
        <translation>出力層を詰め直し中</translation>
    </message>
    <message>
        <source>Dequantising weights from the GGUF ({done}/{total} tensors)</source>
        <translation>GGUF の重みを逆量子化中（テンソル {done}/{total}）</translation>
    </message>
    <message>
        <source>reading the prompt</source>
        <translation>プロンプトを読み込み中</translation>
    </message>
    <message>
        <source>step {step} of {total}</source>
        <translation>ステップ {step}/{total}</translation>
    </message>
    <message>
        <source>upscaling</source>
        <translation>拡大中</translation>
    </message>
    <message>
        <source>upscaled</source>
        <translation>拡大しました</translation>
    </message>
    <message>
        <source>loading the model</source>
        <translation>モデルを読み込み中</translation>
    </message>
    <message>
        <source>rendering</source>
        <translation>音声に変換中</translation>
    </message>
    <message>
        <source>rendered</source>
        <translation>音声に変換しました</translation>
    </message>
    <message>
        <source>loading the melody models</source>
        <translation>メロディーのモデルを読み込み中</translation>
    </message>
    <message>
        <source>bar {done} of {total}</source>
        <translation>小節 {done}/{total}</translation>
    </message>
    <message>
        <source>the piece starts with a pickup bar (written as {written}) before its {main} bars</source>
        <translation>曲は {main} の小節の前に弱起の小節（{written} と表記）で始まります</translation>
    </message>
    <message>
        <source>the time signature changes ({order}); read as {main}, the time signature of most of the piece</source>
        <translation>拍子が途中で変わります（{order}）。曲の大部分の拍子である {main} として読みました</translation>
    </message>
    <message>
        <source>the time signature {meter} is unusual: the models know 4/4 best</source>
        <translation>拍子 {meter} は珍しい拍子です。モデルが最もよく知っているのは 4/4 です</translation>
    </message>
    <message>
        <source>{count} notes of the melody were off the 16th-note grid (triplets or swing) and were rounded to it</source>
        <translation>メロディーの {count} 個の音が 16 分音符の格子から外れていた（三連符やスウィング）ため、格子に合わせました</translation>
    </message>
    <message>
        <source>{count} melody notes outside C2-B6 were clamped to that range</source>
        <translation>C2〜B6 の外にあったメロディーの {count} 個の音を、その範囲に収めました</translation>
    </message>
    <message>
        <source>only the first {bars} bars were kept</source>
        <translation>最初の {bars} 小節だけを残しました</translation>
    </message>
    <message>
        <source>{parts} left out: a render has room for {room} instruments besides the melody and the drums</source>
        <translation>{parts} は除きました。書き出しに使えるのは、メロディーとドラムのほかに {room} 楽器までです</translation>
    </message>
    <message>
        <source>the key signature says {said}, but the melody fits {fits} better; read as {fits}</source>
        <translation>調号は {said} ですが、メロディーは {fits} によく合うため {fits} として読みました</translation>
    </message>
    <message>
        <source>The scale sizes a result against its input picture: without one it was ignored.</source>
        <translation>倍率は元の画像に対する結果の大きさです。元の画像がないため無視しました。</translation>
    </message>
    <message>
        <source>{model} does not read prompts: the prompt was ignored.</source>
        <translation>{model} はプロンプトを読みません。プロンプトは無視しました。</translation>
    </message>
    <message>
        <source>The prompt is longer than the {pieces} word pieces the model reads: the rest was left out.</source>
        <translation>プロンプトがモデルの読める {pieces} 語片より長いため、残りは省きました。</translation>
    </message>
    <message>
        <source>The prompt is empty: this is an unconditional sample.</source>
        <translation>プロンプトが空です。条件なしで生成しました。</translation>
    </message>
    <message>
        <source>{model} makes nothing new by itself: this is a training emoji&apos;s code, decoded. Start from a picture (img2img) or use emoji-ldm for new ones.</source>
        <translation>{model} は単独では新しいものを作りません。これは学習用の絵文字の符号を復元したものです。画像から始める（img2img）か、新しい絵文字には emoji-ldm を使ってください。</translation>
    </message>
    <message>
        <source>The mask is empty: nothing was painted, so the whole picture is redrawn (plain img2img).</source>
        <translation>マスクが空です。何も塗られていないため、画像全体を描き直します (通常の img2img)。</translation>
    </message>
    <message>
        <source>The mask covers the whole picture: all of it is redrawn, and nothing of the photo is kept as it was.</source>
        <translation>マスクが画像全体を覆っています。全体を描き直すため、写真はそのままの形では残りません。</translation>
    </message>
    <message>
        <source>A kept layer is {layer} but the photo is {photo}: only layers of the photo&apos;s size can be flattened over it.</source>
        <translation>残したレイヤーは {layer} ですが、写真は {photo} です。写真と同じ大きさのレイヤーだけを重ねて統合できます。</translation>
    </message>
    <message>
        <source>GPU: {name} · {free} of {total} GiB free</source>
        <translation>GPU: {name} · 空き {free} / {total} GiB</translation>
    </message>
    <message>
        <source>GPU: CUDA through ONNX Runtime</source>
        <translation>GPU: ONNX Runtime 経由の CUDA</translation>
    </message>
    <message>
        <source>CPU: {name} · 1 thread{extra}</source>
        <translation>CPU: {name} · 1 スレッド{extra}</translation>
    </message>
    <message>
        <source>CPU: {name} · {threads} threads{extra}</source>
        <translation>CPU: {name} · {threads} スレッド{extra}</translation>
    </message>
    <message>
        <source>, voices {voices}</source>
        <translation>、音声 {voices}</translation>
    </message>
    <message>
        <source>Dropped the oldest message so the conversation fits the model&apos;s context of {limit} tokens.</source>
        <translation>会話がモデルのコンテキスト（{limit} トークン）に収まるように、最も古いメッセージを外しました。</translation>
    </message>
    <message>
        <source>Dropped the {dropped} oldest messages so the conversation fits the model&apos;s context of {limit} tokens.</source>
        <translation>会話がモデルのコンテキスト（{limit} トークン）に収まるように、古いメッセージを {dropped} 件外しました。</translation>
    </message>
    <message>
        <source>The prompt is {length} tokens long but {name} reads at most {limit} tokens (with room for a reply): shorten it or split it up.</source>
        <translation>プロンプトは {length} トークンありますが、{name} が読めるのは（返信の分を残して）最大 {limit} トークンです。短くするか、分けてください。</translation>
    </message>
    <message>
        <source>The reply is limited to {budget} tokens: the prompt leaves no more room in the model&apos;s context of {limit} tokens.</source>
        <translation>返信は {budget} トークンまでです。プロンプトがモデルのコンテキスト（{limit} トークン）をそれ以上残していません。</translation>
    </message>
    <message>
        <source>Unknown history kind &apos;{kind}&apos;: one of {kinds}.</source>
        <translation>履歴の種類「{kind}」は不明です。{kinds} のいずれかを指定してください。</translation>
    </message>
    <message>
        <source>History item {item} has no file {name}.</source>
        <translation>履歴 {item} にはファイル {name} がありません。</translation>
    </message>
    <message>
        <source>{name} is not a file.</source>
        <translation>{name} はファイルではありません。</translation>
    </message>
    <message>
        <source>No history item with the id {item}.</source>
        <translation>ID {item} の履歴はありません。</translation>
    </message>
    <message>
        <source>Max new tokens must be at least 1.</source>
        <translation>生成する最大トークン数は 1 以上にしてください。</translation>
    </message>
    <message>
        <source>Temperature cannot be negative (0 means always the likeliest token).</source>
        <translation>温度に負の値は指定できません（0 にすると常に最も確率の高いトークンを選びます）。</translation>
    </message>
    <message>
        <source>Top-p must be above 0 and at most 1.</source>
        <translation>Top-p は 0 より大きく 1 以下の値にしてください。</translation>
    </message>
    <message>
        <source>Top-k cannot be negative (0 turns it off).</source>
        <translation>Top-k に負の値は指定できません（0 で無効になります）。</translation>
    </message>
    <message>
        <source>The repetition penalty must be above 0 (1 turns it off).</source>
        <translation>繰り返しペナルティは 0 より大きい値にしてください（1 で無効になります）。</translation>
    </message>
    <message>
        <source>Cannot read {name}: {why}</source>
        <translation>{name} を読めません: {why}</translation>
    </message>
    <message>
        <source>{name} is not a GGUF file: it does not start with the GGUF signature.</source>
        <translation>{name} は GGUF ファイルではありません: GGUF の署名で始まっていません。</translation>
    </message>
    <message>
        <source>Japanese prompt read as: {reading}.</source>
        <translation>日本語のプロンプトを「{reading}」と読みました。</translation>
    </message>
    <message>
        <source>Not known to the emoji model, left out: {words} (it knows the emoji&apos;s Japanese names, colours and common words).</source>
        <translation>絵文字モデルが知らない語は除きました: {words} (絵文字の日本語名、色、よく使う語がわかります)。</translation>
    </message>
    <message>
        <source>The emoji model knows none of the words in “{prompt}”: it reads the emoji&apos;s Japanese names (赤いハート, にっこり笑う猫), colours and common words, or English.</source>
        <translation>絵文字モデルは「{prompt}」の語をどれも知りません。絵文字の日本語名 (赤いハート、にっこり笑う猫など)、色、よく使う語、または英語で書いてください。</translation>
    </message>
    <message>
        <source>{name} is damaged or truncated: its header gives format version {version}, which no GGUF file has.</source>
        <translation>{name} は壊れているか途中で切れています: ヘッダーの形式バージョンが {version} ですが、そのような GGUF ファイルはありません。</translation>
    </message>
    <message>
        <source>{name} is a GGUF of format version {version}, which the studio cannot read (versions 2 and 3 only).</source>
        <translation>{name} は形式バージョン {version} の GGUF で、スタジオでは読めません（読めるのはバージョン 2 と 3 だけです）。</translation>
    </message>
    <message>
        <source>{name} is damaged or truncated: the file ends before its header or tensor data does. Download it again.</source>
        <translation>{name} は壊れているか途中で切れています: ヘッダーまたはテンソルデータの途中でファイルが終わっています。もう一度ダウンロードしてください。</translation>
    </message>
    <message>
        <source>{name} is damaged or truncated: its header claims {what}, more than the file holds.</source>
        <translation>{name} は壊れているか途中で切れています: ヘッダーが {what} と主張していますが、ファイルにはそれだけのデータがありません。</translation>
    </message>
    <message>
        <source>{name} holds a &apos;{arch}&apos; model, an architecture no text backend here runs.</source>
        <translation>{name} は「{arch}」のモデルです。このアーキテクチャを動かせるテキストのバックエンドはここにありません。</translation>
    </message>
    <message>
        <source>This model&apos;s backend (llama.cpp) does not support steering: the steering sliders are ignored.</source>
        <translation>このモデルのバックエンド（llama.cpp）はステアリングに対応していません: ステアリングのスライダーは無視されます。</translation>
    </message>
    <message>
        <source>init image</source>
        <translation>元画像</translation>
    </message>
    <message>
        <source>mask</source>
        <translation>マスク</translation>
    </message>
    <message>
        <source>The {what} cannot be used: {name} is a folder.</source>
        <translation>{what}として使えません: {name} はフォルダーです。</translation>
    </message>
    <message>
        <source>The {what} cannot be used: {name} does not exist.</source>
        <translation>{what}として使えません: {name} は存在しません。</translation>
    </message>
    <message>
        <source>The {what} cannot be used: {name} is {size} pixels, too large to open safely (at most {most} megapixels).</source>
        <translation>{what}として使えません: {name} は {size} ピクセルで、安全に開くには大きすぎます（最大 {most} メガピクセル）。</translation>
    </message>
    <message>
        <source>The {what} cannot be used: {name} is too large to open safely.</source>
        <translation>{what}として使えません: {name} は安全に開くには大きすぎます。</translation>
    </message>
    <message>
        <source>The {what} cannot be used: {name} is not an image file.</source>
        <translation>{what}として使えません: {name} は画像ファイルではありません。</translation>
    </message>
    <message>
        <source>The {what} cannot be used: {name} is damaged or incomplete ({reason}).</source>
        <translation>{what}として使えません: {name} は壊れているか不完全です（{reason}）。</translation>
    </message>
    <message>
        <source>{name} is animated ({frames} frames): using the first frame.</source>
        <translation>{name} はアニメーション（{frames} フレーム）です: 最初のフレームを使います。</translation>
    </message>
    <message>
        <source>{name} is stored rotated (EXIF orientation {orientation}): turned upright.</source>
        <translation>{name} は回転して保存されています（EXIF の向き {orientation}）: 正しい向きに直しました。</translation>
    </message>
    <message>
        <source>{name} is CMYK: converted to RGB.</source>
        <translation>{name} は CMYK です: RGB に変換しました。</translation>
    </message>
    <message>
        <source>{name} has floating-point samples: reduced to 8 bits.</source>
        <translation>{name} は浮動小数点のサンプルです: 8 ビットに減らしました。</translation>
    </message>
    <message>
        <source>{name} has 16-bit (or 32-bit) samples: reduced to 8 bits.</source>
        <translation>{name} は 16 ビット（または 32 ビット）のサンプルです: 8 ビットに減らしました。</translation>
    </message>
    <message>
        <source>{name} is a palette picture: converted to RGB.</source>
        <translation>{name} はパレット画像です: RGB に変換しました。</translation>
    </message>
    <message>
        <source>{name} is a palette picture with transparency: converted to RGBA.</source>
        <translation>{name} は透明部分のあるパレット画像です: RGBA に変換しました。</translation>
    </message>
    <message>
        <source>The mask is {mask} but the picture is {picture}: the mask was scaled to fit.</source>
        <translation>マスクは {mask}、画像は {picture} です: マスクを画像に合わせて拡大縮小しました。</translation>
    </message>
    <message>
        <source>{name} is a folder: drop an image file (PNG, JPEG, WebP, GIF...).</source>
        <translation>{name} はフォルダーです: 画像ファイル（PNG、JPEG、WebP、GIF など）をドロップしてください。</translation>
    </message>
    <message>
        <source>{name} does not exist.</source>
        <translation>{name} は存在しません。</translation>
    </message>
    <message>
        <source>{name} is {size} pixels, too large to open safely (at most {most} megapixels).</source>
        <translation>{name} は {size} ピクセルで、安全に開くには大きすぎます（最大 {most} メガピクセル）。</translation>
    </message>
    <message>
        <source>{name} is too large to open safely (a possible decompression bomb).</source>
        <translation>{name} は安全に開くには大きすぎます（解凍爆弾の可能性があります）。</translation>
    </message>
    <message>
        <source>{name} is not an image file Sōzō can read.</source>
        <translation>{name} は Sōzō が読める画像ファイルではありません。</translation>
    </message>
    <message>
        <source>{name} could not be read: the file is damaged or incomplete ({reason}).</source>
        <translation>{name} を読めませんでした: ファイルが壊れているか不完全です（{reason}）。</translation>
    </message>
    <message>
        <source>Could not find a free file name in {folder}.</source>
        <translation>{folder} に空いているファイル名が見つかりませんでした。</translation>
    </message>
    <message>
        <source>Export a walk as .gif, .mp4 or .png, not {name}.</source>
        <translation>ウォークは .gif、.mp4、.png のいずれかで書き出してください（{name} は使えません）。</translation>
    </message>
    <message>
        <source>The walk has no frames to export.</source>
        <translation>ウォークに書き出すフレームがありません。</translation>
    </message>
    <message>
        <source>{path} exists already: choose another name.</source>
        <translation>{path} はすでにあります: 別の名前を選んでください。</translation>
    </message>
    <message>
        <source>Cannot write {path}: ffmpeg failed ({reason}).</source>
        <translation>{path} を書き込めません: ffmpeg が失敗しました（{reason}）。</translation>
    </message>
    <message>
        <source>Unknown voice {voice}. Voices: {known}</source>
        <translation>{voice} という声はありません。使える声: {known}</translation>
    </message>
    <message>
        <source>{name} is not a Piper voice: drop the .onnx file (with its .onnx.json).</source>
        <translation>{name} は Piper の声ではありません: .onnx ファイル（.onnx.json と一緒に）をドロップしてください。</translation>
    </message>
    <message>
        <source>Cannot import {path}: no such file.</source>
        <translation>{path} を取り込めません: そのファイルはありません。</translation>
    </message>
    <message>
        <source>The speech engine takes a SpeechRequest, LoadVoiceRequest or VoiceLoadedQuery, not {kind}.</source>
        <translation>音声エンジンが受け付けるのは SpeechRequest、LoadVoiceRequest、VoiceLoadedQuery で、{kind} は受け付けません。</translation>
    </message>
    <message>
        <source>&apos;{model}&apos; is not a speech model.</source>
        <translation>「{model}」は音声モデルではありません。</translation>
    </message>
    <message>
        <source>Speed {speed} is out of range ({low} to {high}).</source>
        <translation>速さ {speed} は範囲外です（{low} から {high} まで）。</translation>
    </message>
    <message>
        <source>Noise scale</source>
        <translation>ノイズの大きさ</translation>
    </message>
    <message>
        <source>Noise width</source>
        <translation>ノイズの幅</translation>
    </message>
    <message>
        <source>{label} {value} is out of range (0 to 2).</source>
        <translation>{label} {value} は範囲外です（0 から 2 まで）。</translation>
    </message>
    <message>
        <source>The text is empty: type something to be spoken.</source>
        <translation>テキストが空です: 読み上げる文を入力してください。</translation>
    </message>
    <message>
        <source>The text has nothing to say: it is only punctuation, symbols or markup.</source>
        <translation>読み上げる内容がありません: 句読点、記号、マークアップだけです。</translation>
    </message>
    <message>
        <source>Cannot read the pause length in {markup}: write e.g. 500ms or 1.5s.</source>
        <translation>{markup} のポーズの長さを読めません: 500ms や 1.5s のように書いてください。</translation>
    </message>
    <message>
        <source>The pause {markup} is longer than {most} seconds.</source>
        <translation>ポーズ {markup} が {most} 秒より長すぎます。</translation>
    </message>
    <message>
        <source>{tag} names no voice: write e.g. [voice jf_alpha].</source>
        <translation>{tag} に声の名前がありません: [voice jf_alpha] のように書いてください。</translation>
    </message>
    <message>
        <source>A blend needs at least one voice.</source>
        <translation>ブレンドには声が少なくとも 1 つ必要です。</translation>
    </message>
    <message>
        <source>Unknown Kokoro voice {voice} in the blend; the voices are {voices}.</source>
        <translation>ブレンドにある Kokoro の声 {voice} は存在しません。使える声: {voices}。</translation>
    </message>
    <message>
        <source>The weight of {voice} must be a number of 0 or more.</source>
        <translation>{voice} の重みは 0 以上の数にしてください。</translation>
    </message>
    <message>
        <source>The blend&apos;s weights add up to 0: give at least one voice a weight.</source>
        <translation>ブレンドの重みの合計が 0 です: 少なくとも 1 つの声に重みを付けてください。</translation>
    </message>
    <message>
        <source>Cannot read the blend part {part}: write VOICE:WEIGHT.</source>
        <translation>ブレンドの部分 {part} を読めません: 声:重み の形で書いてください。</translation>
    </message>
    <message>
        <source>The weight in {part} is not a number.</source>
        <translation>{part} の重みが数ではありません。</translation>
    </message>
    <message>
        <source>A blend name needs 1 to 48 letters, digits, spaces, dots, dashes or underscores.</source>
        <translation>ブレンドの名前は 1〜48 文字の英字、数字、空白、ピリオド、ハイフン、下線で付けてください。</translation>
    </message>
    <message>
        <source>The Kokoro vocabulary {path} cannot be read: {reason}</source>
        <translation>Kokoro の語彙ファイル {path} を読めません: {reason}</translation>
    </message>
    <message>
        <source>The Kokoro voices {path} cannot be read: {reason}</source>
        <translation>Kokoro の声ファイル {path} を読めません: {reason}</translation>
    </message>
    <message>
        <source>{path}: the voice {name} has shape {shape}.</source>
        <translation>{path}: 声 {name} の形が {shape} になっています。</translation>
    </message>
    <message>
        <source>The Kokoro model {path} cannot be loaded: {reason}</source>
        <translation>Kokoro のモデル {path} を読み込めません: {reason}</translation>
    </message>
    <message>
        <source>The Piper voice config {path} cannot be read: {reason}</source>
        <translation>Piper の声の設定 {path} を読めません: {reason}</translation>
    </message>
    <message>
        <source>{path} is not a Piper voice config (missing or wrong field: {reason}).</source>
        <translation>{path} は Piper の声の設定ではありません（欠けているか誤っている項目: {reason}）。</translation>
    </message>
    <message>
        <source>The voice file {path} cannot be loaded as an ONNX model: {reason}</source>
        <translation>声のファイル {path} を ONNX モデルとして読み込めません: {reason}</translation>
    </message>
    <message>
        <source>{path} is not a Piper voice: it lacks the inputs {missing} (it has {has}).</source>
        <translation>{path} は Piper の声ではありません: 入力 {missing} がありません（あるのは {has}）。</translation>
    </message>
    <message>
        <source>{config} says {speakers} speakers but {model} has one: the two files do not belong together.</source>
        <translation>{config} には話者が {speakers} 人とありますが、{model} は 1 人です: 2 つのファイルは組になっていません。</translation>
    </message>
    <message>
        <source>{model} is a multi-speaker voice but {config} describes a single speaker: the two files do not belong together.</source>
        <translation>{model} は複数話者の声ですが、{config} は 1 人の話者を記述しています: 2 つのファイルは組になっていません。</translation>
    </message>
    <message>
        <source>The voice {voice} has no speaker {speaker}; it has {speakers}.</source>
        <translation>声 {voice} に話者 {speaker} はいません。いる話者: {speakers}。</translation>
    </message>
    <message>
        <source>unknown instrument {name}: choose one of {known}</source>
        <translation>{name} という楽器はありません: {known} から選んでください</translation>
    </message>
    <message>
        <source>a MIDI file name ends in .mid, not {name}</source>
        <translation>MIDI ファイルの名前は .mid で終わります（{name} は使えません）</translation>
    </message>
    <message>
        <source>the folder {folder} does not exist</source>
        <translation>フォルダー {folder} は存在しません</translation>
    </message>
    <message>
        <source>--steps must be at least 2 (A and B themselves)</source>
        <translation>--steps は 2 以上にしてください（A と B そのものを含みます）</translation>
    </message>
    <message>
        <source>the melody corpus {path} is missing: run `python engines/music/build_dataset.py` (needs `pip install music21`)</source>
        <translation>メロディのコーパス {path} がありません: `python engines/music/build_dataset.py` を実行してください（`pip install music21` が必要です）</translation>
    </message>
    <message>
        <source>{path} does not exist</source>
        <translation>{path} は存在しません</translation>
    </message>
    <message>
        <source>{name} is not a readable MIDI file ({reason})</source>
        <translation>{name} は読める MIDI ファイルではありません（{reason}）</translation>
    </message>
    <message>
        <source>{name} has only drums (channel 10): there is no melody in it</source>
        <translation>{name} にはドラム（チャンネル 10）しかありません: メロディが入っていません</translation>
    </message>
    <message>
        <source>{name} has no notes</source>
        <translation>{name} には音符がありません</translation>
    </message>
    <message>
        <source>melodies A and B have codes of different shapes ({a} and {b}): cut them to the same length first</source>
        <translation>メロディ A と B のコードの形が違います（{a} と {b}）: 先に同じ長さに切りそろえてください</translation>
    </message>
    <message>
        <source>{model} makes melodies; it cannot take {kind} (renders go to {soundfont}).</source>
        <translation>{model} はメロディを作るモデルで、{kind} は受け付けません（レンダリングは {soundfont} が行います）。</translation>
    </message>
    <message>
        <source>{model} plays arrangements; it cannot take {kind} (melodies come from melody-transformer).</source>
        <translation>{model} はアレンジを演奏するもので、{kind} は受け付けません（メロディは melody-transformer が作ります）。</translation>
    </message>
    <message>
        <source>continue by at least one bar</source>
        <translation>少なくとも 1 小節は続けてください</translation>
    </message>
    <message>
        <source>the melody is empty</source>
        <translation>メロディが空です</translation>
    </message>
    <message>
        <source>melodies A and B must have the same number of bars to morph</source>
        <translation>モーフィングするには、メロディ A と B の小節数を同じにしてください</translation>
    </message>
    <message>
        <source>bars must be between 1 and {most}, not {bars}</source>
        <translation>小節数は 1 から {most} までにしてください（{bars} は使えません）</translation>
    </message>
    <message>
        <source>cannot write {name}: the file name must end in .wav, .flac, .ogg, .opus or .mp3</source>
        <translation>{name} を書き込めません: ファイル名は .wav、.flac、.ogg、.opus、.mp3 のいずれかで終わる必要があります</translation>
    </message>
    <message>
        <source>Cannot write {path}: the folder {folder} does not exist.</source>
        <translation>{path} を書き込めません: フォルダー {folder} は存在しません。</translation>
    </message>
    <message>
        <source>Cannot write {name}: Opus takes audio at {rates} kHz, not {rate} Hz.</source>
        <translation>{name} を書き込めません: Opus が受け付けるのは {rates} kHz の音声で、{rate} Hz は使えません。</translation>
    </message>
    <message>
        <source>Cannot write {path}: the encoder failed ({reason}).</source>
        <translation>{path} を書き込めません: エンコーダーが失敗しました（{reason}）。</translation>
    </message>
    <message>
        <source>The unfinished sound file was discarded.</source>
        <translation>書きかけの音声ファイルは破棄しました。</translation>
    </message>
    <message>
        <source>The prompt is empty: type a message first.</source>
        <translation>プロンプトが空です: 先にメッセージを入力してください。</translation>
    </message>
    <message>
        <source>{model} writes text replies: it cannot do a {kind}.</source>
        <translation>{model} はテキストで返信するモデルです: {kind} はできません。</translation>
    </message>
    <message>
        <source>{source} is not a Sōzō conversation: {reason}</source>
        <translation>{source} は Sōzō の会話ではありません: {reason}</translation>
    </message>
    <message>
        <source>Cannot read {path}: {reason}</source>
        <translation>{path} を読めません: {reason}</translation>
    </message>
    <message>
        <source>The tokenizer or config of {source} cannot be read: {reason}</source>
        <translation>{source} のトークナイザーまたは設定を読めません: {reason}</translation>
    </message>
    <message>
        <source>A preset template needs {text} where your text goes.</source>
        <translation>プリセットのテンプレートには、テキストが入る場所に {text} が必要です。</translation>
    </message>
    <message>
        <source>{folder} has no usable tokenizer: {reason}</source>
        <translation>{folder} に使えるトークナイザーがありません: {reason}</translation>
    </message>
    <message>
        <source>{folder} is not a causal language model that transformers can run: {reason}</source>
        <translation>{folder} は transformers で動かせる因果言語モデルではありません: {reason}</translation>
    </message>
    <message>
        <source>{folder} could not be loaded: {reason}</source>
        <translation>{folder} を読み込めませんでした: {reason}</translation>
    </message>
    <message>
        <source>{path} is not a GGUF file (it does not start with the GGUF signature).</source>
        <translation>{path} は GGUF ファイルではありません（GGUF の識別子で始まっていません）。</translation>
    </message>
    <message>
        <source>{path} is damaged or truncated: the GGUF reader stopped with {reason}</source>
        <translation>{path} は壊れているか途中で切れています: GGUF の読み取りが止まりました（{reason}）</translation>
    </message>
    <message>
        <source>{folder} is not a Hugging Face model folder: it has no config.json. Choose the folder that holds config.json and the weights, or a .gguf file.</source>
        <translation>{folder} は Hugging Face のモデルフォルダーではありません: config.json がありません。config.json と重みのあるフォルダー、または .gguf ファイルを選んでください。</translation>
    </message>
    <message>
        <source>{path} cannot be read: {reason}</source>
        <translation>{path} を読めません: {reason}</translation>
    </message>
    <message>
        <source>{path} does not hold a model configuration.</source>
        <translation>{path} にはモデルの設定が入っていません。</translation>
    </message>
    <message>
        <source>{folder} holds a {architectures} model, not a causal language model: the Text panel needs a model that generates text (…ForCausalLM).</source>
        <translation>{folder} のモデルは {architectures} で、因果言語モデルではありません: テキストパネルにはテキストを生成するモデル（…ForCausalLM）が必要です。</translation>
    </message>
    <message>
        <source>No steering vector named &apos;{name}&apos;. Known: {known}</source>
        <translation>「{name}」という名前のステアリングベクトルはありません。あるもの: {known}</translation>
    </message>
    <message>
        <source>A steering vector&apos;s name may use letters, digits, - and _ (up to 40).</source>
        <translation>ステアリングベクトルの名前に使えるのは英字、数字、- と _ です（40 文字まで）。</translation>
    </message>
    <message>
        <source>Give at least two pairs of contrasting texts for a steering vector.</source>
        <translation>ステアリングベクトルには、対照的なテキストの組を少なくとも 2 つ指定してください。</translation>
    </message>
    <message>
        <source>&apos;{name}&apos; is a shipped steering vector: choose another name.</source>
        <translation>「{name}」は同梱のステアリングベクトルです: 別の名前を選んでください。</translation>
    </message>
    <message>
        <source>The batch file {path} does not exist.</source>
        <translation>バッチファイル {path} は存在しません。</translation>
    </message>
    <message>
        <source>{path} is a folder, not a batch file.</source>
        <translation>{path} はフォルダーで、バッチファイルではありません。</translation>
    </message>
    <message>
        <source>{name} is not UTF-8 text: a batch file is TOML.</source>
        <translation>{name} は UTF-8 のテキストではありません: バッチファイルは TOML です。</translation>
    </message>
    <message>
        <source>{name} is not valid TOML: {reason}.</source>
        <translation>{name} は正しい TOML ではありません: {reason}。</translation>
    </message>
    <message>
        <source>Cannot read {path}: {reason}.</source>
        <translation>{path} を読めません: {reason}。</translation>
    </message>
    <message>
        <source>kind must be one of {kinds}, not {kind}.</source>
        <translation>kind は {kinds} のいずれかにしてください（{kind} は使えません）。</translation>
    </message>
    <message>
        <source>The batch makes nothing: give at least one prompt, seed or chapter.</source>
        <translation>このバッチは何も作りません: プロンプト、シード、章を少なくとも 1 つ指定してください。</translation>
    </message>
    <message>
        <source>Unknown key in the batch file: {keys}.</source>
        <translation>バッチファイルに不明なキーがあります: {keys}。</translation>
    </message>
    <message>
        <source>{key} must be text in quotes, not {value}.</source>
        <translation>{key} は引用符で囲んだテキストにしてください（{value} は使えません）。</translation>
    </message>
    <message>
        <source>The batch needs {key} (a list of texts).</source>
        <translation>バッチには {key}（テキストのリスト）が必要です。</translation>
    </message>
    <message>
        <source>{key} must be a list of texts in quotes.</source>
        <translation>{key} は引用符で囲んだテキストのリストにしてください。</translation>
    </message>
    <message>
        <source>The batch needs seeds: a list, or {example}.</source>
        <translation>バッチには seeds が必要です: リスト、または {example} の形で指定してください。</translation>
    </message>
    <message>
        <source>seeds takes from and count, e.g. {example}.</source>
        <translation>seeds には from と count を指定します。例: {example}。</translation>
    </message>
    <message>
        <source>seeds go up to {most}.</source>
        <translation>seeds の上限は {most} です。</translation>
    </message>
    <message>
        <source>seeds lists a seed twice: each output would be made twice.</source>
        <translation>seeds に同じシードが 2 回あります: 同じ出力が 2 回作られてしまいます。</translation>
    </message>
    <message>
        <source>{key} must be a whole number, not {value}.</source>
        <translation>{key} は整数にしてください（{value} は使えません）。</translation>
    </message>
    <message>
        <source>{key} must be between {low} and {high}, not {value}.</source>
        <translation>{key} は {low} から {high} までにしてください（{value} は使えません）。</translation>
    </message>
    <message>
        <source>{key} must be a number, not {value}.</source>
        <translation>{key} は数にしてください（{value} は使えません）。</translation>
    </message>
    <message>
        <source>The batch would make {count} files; the most one batch makes is {most}.</source>
        <translation>このバッチは {count} 個のファイルを作ることになります。1 つのバッチで作れるのは最大 {most} 個です。</translation>
    </message>
    <message>
        <source>An image walk needs from_seed and to_seed.</source>
        <translation>画像のウォークには from_seed と to_seed が必要です。</translation>
    </message>
    <message>
        <source>format must be mid, wav or flac, not {format}.</source>
        <translation>format は mid、wav、flac のいずれかにしてください（{format} は使えません）。</translation>
    </message>
    <message>
        <source>chapter_pattern is not a valid regular expression: {reason}.</source>
        <translation>chapter_pattern は正しい正規表現ではありません: {reason}。</translation>
    </message>
    <message>
        <source>A read-aloud batch needs text_file (a UTF-8 text file).</source>
        <translation>読み上げのバッチには text_file（UTF-8 のテキストファイル）が必要です。</translation>
    </message>
    <message>
        <source>The text file {path} does not exist.</source>
        <translation>テキストファイル {path} は存在しません。</translation>
    </message>
    <message>
        <source>{name} is not UTF-8 text.</source>
        <translation>{name} は UTF-8 のテキストではありません。</translation>
    </message>
    <message>
        <source>format must be wav or flac, not {format}.</source>
        <translation>format は wav か flac にしてください（{format} は使えません）。</translation>
    </message>
    <message>
        <source>The model {model} cannot encode pictures (it has no encoder).</source>
        <translation>モデル {model} は画像を符号化できません（エンコーダーがありません）。</translation>
    </message>
    <message>
        <source>The model {model} has no latent directions.</source>
        <translation>モデル {model} には潜在空間の方向がありません。</translation>
    </message>
    <message>
        <source>Inpainting needs the picture to paint into (--init) as well as the mask.</source>
        <translation>インペイントには、マスクに加えて描き込む画像（--init）が必要です。</translation>
    </message>
    <message>
        <source>The model {model} cannot inpaint.</source>
        <translation>モデル {model} はインペイントできません。</translation>
    </message>
    <message>
        <source>The model {model} cannot start from a picture.</source>
        <translation>モデル {model} は画像から始められません。</translation>
    </message>
    <message>
        <source>The model {model} does not take LoRA files.</source>
        <translation>モデル {model} は LoRA ファイルを使えません。</translation>
    </message>
    <message>
        <source>Strength must be above 0 and at most 1, not {value}.</source>
        <translation>強さは 0 より大きく 1 以下にしてください（{value} は使えません）。</translation>
    </message>
    <message>
        <source>Steps must be between 1 and 1000, not {value}.</source>
        <translation>ステップ数は 1 から 1000 までにしてください（{value} は使えません）。</translation>
    </message>
    <message>
        <source>Make between 1 and 64 pictures at a time, not {value}.</source>
        <translation>一度に作る画像は 1 枚から 64 枚までにしてください（{value} は使えません）。</translation>
    </message>
    <message>
        <source>The picture size must be between 32 and {most} pixels, not {value}.</source>
        <translation>画像の大きさは 32 から {most} ピクセルまでにしてください（{value} は使えません）。</translation>
    </message>
    <message>
        <source>Outpainting needs the picture to extend (--init).</source>
        <translation>アウトペイントには広げる画像（--init）が必要です。</translation>
    </message>
    <message>
        <source>The model {model} cannot outpaint (it cannot inpaint).</source>
        <translation>モデル {model} はアウトペイントできません（インペイントができないため）。</translation>
    </message>
    <message>
        <source>The mask is empty: paint over the part to redraw.</source>
        <translation>マスクが空です: 描き直す部分を塗ってください。</translation>
    </message>
    <message>
        <source>The mask padding must be between 0 and {most} pixels, not {value}.</source>
        <translation>マスクの余白は 0 から {most} ピクセルまでにしてください（{value} は使えません）。</translation>
    </message>
    <message>
        <source>The mask feather must be between 0 and {most} pixels, not {value}.</source>
        <translation>マスクのぼかしは 0 から {most} ピクセルまでにしてください（{value} は使えません）。</translation>
    </message>
    <message>
        <source>The scale must be between {low} and {high}, not {value}.</source>
        <translation>倍率は {low} から {high} までにしてください（{value} は使えません）。</translation>
    </message>
    <message>
        <source>Outpainting adds 0 to {most} pixels on each side (left, top, right, bottom), not {value}.</source>
        <translation>アウトペイントで各辺（左、上、右、下）に足せるのは 0 から {most} ピクセルまでです（{value} は使えません）。</translation>
    </message>
    <message>
        <source>The result would be {size} pixels, more than {most} megapixels: use a smaller scale.</source>
        <translation>結果が {size} ピクセルになり、{most} メガピクセルを超えます: 倍率を小さくしてください。</translation>
    </message>
    <message>
        <source>A latent needs a picture to encode or a seed.</source>
        <translation>潜在表現には、符号化する画像かシードが必要です。</translation>
    </message>
    <message>
        <source>{model} cannot walk between prompts.</source>
        <translation>{model} はプロンプトの間をウォークできません。</translation>
    </message>
    <message>
        <source>{model} cannot do a {kind}.</source>
        <translation>{model} は {kind} を実行できません。</translation>
    </message>
    <message>
        <source>Give one weight for each corner of the pad.</source>
        <translation>パッドの角ごとに重みを 1 つずつ指定してください。</translation>
    </message>
    <message>
        <source>{model} enlarges pictures, it does not draw them: choose a model that draws (e.g. emoji-ldm).</source>
        <translation>{model} は画像を拡大するモデルで、描くことはできません: 描けるモデル（emoji-ldm など）を選んでください。</translation>
    </message>
    <message>
        <source>VAE</source>
        <translation>VAE</translation>
    </message>
    <message>
        <source>diffusion</source>
        <translation>拡散モデル</translation>
    </message>
    <message>
        <source>GAN</source>
        <translation>GAN</translation>
    </message>
    <message>
        <source>{path} is not a supported {kind} weights file ({reason}).</source>
        <translation>{path} は対応している{kind}の重みファイルではありません（{reason}）。</translation>
    </message>
    <message>
        <source>Both results need a prompt to walk between their prompts.</source>
        <translation>プロンプトの間をウォークするには、両方の結果にプロンプトが必要です。</translation>
    </message>
    <message>
        <source>Unknown sampler {sampler}: choose ddim or dpm++2m.</source>
        <translation>{sampler} というサンプラーはありません: ddim か dpm++2m を選んでください。</translation>
    </message>
    <message>
        <source>Guidance must be between 0 and 30, not {value}.</source>
        <translation>ガイダンスは 0 から 30 までにしてください（{value} は使えません）。</translation>
    </message>
    <message>
        <source>{model} has no latent direction number {index}.</source>
        <translation>{model} には潜在空間の方向 {index} 番がありません。</translation>
    </message>
    <message>
        <source>The repository {repo} holds no files.</source>
        <translation>リポジトリ {repo} にはファイルがありません。</translation>
    </message>
    <message>
        <source>{repo} has no file {file}.</source>
        <translation>{repo} にファイル {file} はありません。</translation>
    </message>
    <message>
        <source>{repo} offers {count} quantisations: pick one with --quant ({quants}).</source>
        <translation>{repo} には {count} 種類の量子化があります: --quant で 1 つ選んでください（{quants}）。</translation>
    </message>
    <message>
        <source>{repo} has no {quant} file: it offers {quants}.</source>
        <translation>{repo} に {quant} のファイルはありません: あるのは {quants} です。</translation>
    </message>
    <message>
        <source>{repo} holds several checkpoints: pick one with --file ({names}).</source>
        <translation>{repo} には複数のチェックポイントがあります: --file で 1 つ選んでください（{names}）。</translation>
    </message>
    <message>
        <source>{repo} holds no GGUF, Hugging Face folder, diffusers folder or checkpoint that the studio runs.</source>
        <translation>{repo} には、スタジオで動かせる GGUF、Hugging Face のフォルダー、diffusers のフォルダー、チェックポイントのどれもありません。</translation>
    </message>
    <message>
        <source>Piper voices come from {piper}, not {repo}.</source>
        <translation>Piper の声は {piper} から取得します（{repo} ではありません）。</translation>
    </message>
    <message>
        <source>No Piper voice {key} in the catalogue (close: {near}).</source>
        <translation>カタログに Piper の声 {key} はありません（近いもの: {near}）。</translation>
    </message>
    <message>
        <source>The Piper voice {key} lists no .onnx file.</source>
        <translation>Piper の声 {key} には .onnx ファイルが載っていません。</translation>
    </message>
    <message>
        <source>The hub does not list both files of the Piper voice {key}.</source>
        <translation>ハブに Piper の声 {key} の 2 つのファイルがそろって載っていません。</translation>
    </message>
    <message>
        <source>{repo} is under {licence}: read it and accept it first (--accept-licence, or the Models window).</source>
        <translation>{repo} は {licence} のもとで提供されています: 先に読んで同意してください（--accept-licence、または「モデル」ウィンドウで）。</translation>
    </message>
    <message>
        <source>&apos;{model}&apos; was not downloaded by the model manager.</source>
        <translation>「{model}」はモデルマネージャーでダウンロードしたものではありません。</translation>
    </message>
    <message>
        <source>Give a model id (no task was named to choose its default).</source>
        <translation>モデル ID を指定してください（既定のモデルを選ぶためのタスクが指定されていません）。</translation>
    </message>
    <message>
        <source>No model with the id &apos;{model}&apos;. Known: {known}</source>
        <translation>ID が「{model}」のモデルはありません。あるもの: {known}</translation>
    </message>
    <message>
        <source>No engine runs &apos;{model}&apos; (engine module: {module}).</source>
        <translation>「{model}」を動かせるエンジンがありません（エンジンのモジュール: {module}）。</translation>
    </message>
    <message>
        <source>The engine of &apos;{model}&apos; takes no option {names}.</source>
        <translation>「{model}」のエンジンはオプション {names} を受け付けません。</translation>
    </message>
    <message>
        <source>The batch&apos;s output {path} is a file, not a folder.</source>
        <translation>バッチの出力先 {path} はファイルで、フォルダーではありません。</translation>
    </message>
    <message>
        <source>Cannot make {path}: the folder {folder} does not exist.</source>
        <translation>{path} を作れません: フォルダー {folder} は存在しません。</translation>
    </message>
    <message>
        <source>{path} holds the outputs of another batch (or a changed one): give this batch another output folder.</source>
        <translation>{path} には別のバッチ（または変更されたバッチ）の出力があります: このバッチには別の出力フォルダーを指定してください。</translation>
    </message>
    <message>
        <source>{path} holds files with this batch&apos;s names that it did not write: give the batch another output folder.</source>
        <translation>{path} には、このバッチが書いていない同じ名前のファイルがあります: バッチには別の出力フォルダーを指定してください。</translation>
    </message>
    <message>
        <source>{path} was written by another run of this batch meanwhile.</source>
        <translation>{path} は、その間にこのバッチの別の実行によって書き込まれました。</translation>
    </message>
    <message>
        <source>Batches on Ray need the ray package: pip install &apos;sozo-studio[ray]&apos; (or pip install ray), here and on every machine of the cluster.</source>
        <translation>Ray でバッチを動かすには ray パッケージが必要です: このマシンとクラスターのすべてのマシンで pip install &apos;sozo-studio[ray]&apos;（または pip install ray）を実行してください。</translation>
    </message>
    <message>
        <source>{address} is not a Ray address: give host:port, ray://host:port, auto or local.</source>
        <translation>{address} は Ray のアドレスではありません: host:port、ray://host:port、auto、local のいずれかを指定してください。</translation>
    </message>
    <message>
        <source>Cannot reach the Ray cluster at {address}: {reason}.</source>
        <translation>{address} の Ray クラスターに接続できません: {reason}。</translation>
    </message>
    <message>
        <source>Cannot reach the Ray cluster at {address}: {reason}</source>
        <translation>{address} の Ray クラスターに接続できません: {reason}</translation>
    </message>
    <message>
        <source>Cannot write {path}: it is a folder; give a file name.</source>
        <translation>{path} に書き込めません: フォルダーです。ファイル名を指定してください。</translation>
    </message>
    <message>
        <source>Cannot write {path}: {folder} is a file, not a folder.</source>
        <translation>{path} を書き込めません: {folder} はファイルで、フォルダーではありません。</translation>
    </message>
    <message>
        <source>Cannot write {path}: it is not a regular file.</source>
        <translation>{path} に書き込めません: 通常のファイルではありません。</translation>
    </message>
    <message>
        <source>Cannot write {path}: another process is writing it right now.</source>
        <translation>{path} に書き込めません: 別のプロセスが今書き込んでいます。</translation>
    </message>
    <message>
        <source>Cannot write {path}: no free temporary name beside it.</source>
        <translation>{path} を書き込めません: 隣に一時ファイルの空き名がありません。</translation>
    </message>
    <message>
        <source>No import for the engine {module}.</source>
        <translation>エンジン {module} の取り込み方法がありません。</translation>
    </message>
    <message>
        <source>{name} is not a diffusers folder (it has no model_index.json): give the folder that holds it, or a .safetensors checkpoint.</source>
        <translation>{name} は diffusers のフォルダーではありません（model_index.json がありません）: それを含むフォルダーか、.safetensors のチェックポイントを指定してください。</translation>
    </message>
    <message>
        <source>{name} is not a .safetensors checkpoint or a diffusers folder.</source>
        <translation>{name} は .safetensors のチェックポイントでも diffusers のフォルダーでもありません。</translation>
    </message>
    <message>
        <source>Import a {kinds} model, not {kind}.</source>
        <translation>取り込めるのは {kinds} のモデルです（{kind} は使えません）。</translation>
    </message>
    <message>
        <source>Cannot import {path}: no such file or folder.</source>
        <translation>{path} を取り込めません: そのファイルもフォルダーもありません。</translation>
    </message>
    <message>
        <source>{name} was not added to the list of models.</source>
        <translation>{name} はモデルの一覧に追加されていません。</translation>
    </message>
    <message>
        <source>{name} is not a readable .safetensors file ({reason}).</source>
        <translation>{name} は読める .safetensors ファイルではありません（{reason}）。</translation>
    </message>
    <message>
        <source>{name} is a LoRA, not a model: apply it to a model as a LoRA.</source>
        <translation>{name} はモデルではなく LoRA です: LoRA としてモデルに適用してください。</translation>
    </message>
    <message>
        <source>{name} is not a Stable Diffusion checkpoint (it has no diffusion UNet in the original layout).</source>
        <translation>{name} は Stable Diffusion のチェックポイントではありません（元の配置の拡散 UNet がありません）。</translation>
    </message>
    <message>
        <source>{name} is a Playground v2.5 checkpoint, which is not supported.</source>
        <translation>{name} は Playground v2.5 のチェックポイントで、対応していません。</translation>
    </message>
    <message>
        <source>{name} is a {channels}-channel checkpoint, which is not supported: Stable Diffusion UNets read 4 channels (9 for inpainting models).</source>
        <translation>{name} は {channels} チャンネルのチェックポイントで、対応していません: Stable Diffusion の UNet が読むのは 4 チャンネル（インペインティング用モデルは 9）です。</translation>
    </message>
    <message>
        <source>{name} is an SDXL refiner, which is not supported on its own.</source>
        <translation>{name} は SDXL のリファイナーで、単独では対応していません。</translation>
    </message>
    <message>
        <source>{name} is not a Stable Diffusion 1.x, 2.x or XL checkpoint (its text conditioning is {width} wide): give a diffusers folder instead.</source>
        <translation>{name} は Stable Diffusion 1.x・2.x・XL のチェックポイントではありません（テキスト条件の幅が {width} です）: 代わりに diffusers フォルダーを指定してください。</translation>
    </message>
    <message>
        <source>{folder} is not a Stable Diffusion 1.x/2.x/XL configuration folder.</source>
        <translation>{folder} は Stable Diffusion 1.x/2.x/XL の設定フォルダーではありません。</translation>
    </message>
    <message>
        <source>the model in {folder}</source>
        <translation>{folder} のモデル</translation>
    </message>
    <message>
        <source>{name} looked like {what} but could not be loaded ({reason}).</source>
        <translation>{name} は {what} に見えましたが、読み込めませんでした（{reason}）。</translation>
    </message>
    <message>
        <source>{name} is a pickle checkpoint, which can run code when opened: it is not loaded. Convert it to .safetensors or a diffusers folder.</source>
        <translation>{name} は pickle 形式のチェックポイントで、開くとコードを実行しうるため読み込みません。.safetensors か diffusers フォルダーに変換してください。</translation>
    </message>
    <message>
        <source>{path} is not a diffusers model folder (no model_index.json).</source>
        <translation>{path} は diffusers のモデルフォルダーではありません（model_index.json がありません）。</translation>
    </message>
    <message>
        <source>{name} could not be loaded as a Stable Diffusion model ({reason}).</source>
        <translation>{name} を Stable Diffusion のモデルとして読み込めませんでした（{reason}）。</translation>
    </message>
    <message>
        <source>{name} is not a Stable Diffusion model (.safetensors or a folder).</source>
        <translation>{name} は Stable Diffusion のモデル（.safetensors またはフォルダー）ではありません。</translation>
    </message>
    <message>
        <source>The model file {path} does not exist.</source>
        <translation>モデルファイル {path} は存在しません。</translation>
    </message>
    <message>
        <source>The same LoRA file is listed twice: give it once, with one weight.</source>
        <translation>同じ LoRA ファイルが二度指定されています: 重みを一つ付けて一度だけ指定してください。</translation>
    </message>
    <message>
        <source>{name} is a pickle file, which can run code when opened: it is not loaded. Use the LoRA&apos;s .safetensors file.</source>
        <translation>{name} は pickle ファイルで、開くとコードを実行しうるため読み込みません。LoRA の .safetensors ファイルを使ってください。</translation>
    </message>
    <message>
        <source>The LoRA file {path} does not exist.</source>
        <translation>LoRA ファイル {path} は存在しません。</translation>
    </message>
    <message>
        <source>{name} is not a LoRA for this model ({model}): {reason}</source>
        <translation>{name} はこのモデル（{model}）用の LoRA ではありません: {reason}</translation>
    </message>
    <message>
        <source>{name} is not a LoRA for this model ({model}): none of its weights match the model&apos;s layers.</source>
        <translation>{name} はこのモデル（{model}）用の LoRA ではありません: どの重みもモデルの層に合いません。</translation>
    </message>
    <message>
        <source>Unknown sampler {sampler}: choose one of {choices}.</source>
        <translation>不明なサンプラー {sampler}: {choices} のいずれかを選んでください。</translation>
    </message>
    <message>
        <source>The picture size must be a multiple of 8 for this model, not {size}.</source>
        <translation>このモデルでは画像サイズは 8 の倍数でなければなりません（{size} ではなく）。</translation>
    </message>
    <message>
        <source>{steps} step(s) at strength {strength} redraw nothing: use at least {least} steps or a higher strength.</source>
        <translation>強度 {strength} で {steps} ステップでは何も描き直されません: {least} ステップ以上にするか、強度を上げてください。</translation>
    </message>
    <message>
        <source>The {what} cannot be used: {reason}</source>
        <translation>{what}を使えません: {reason}</translation>
    </message>
    <message>
        <source>image</source>
        <translation>画像</translation>
    </message>
    <message>
        <source>{path} is not the face DCGAN&apos;s weights file ({reason}).</source>
        <translation>{path} は顔 DCGAN の重みファイルではありません（{reason}）。</translation>
    </message>
    <message>
        <source>Cannot reach the hub at {base}: {reason}.</source>
        <translation>{base} のハブに接続できません: {reason}。</translation>
    </message>
    <message>
        <source>{what} is gated or private on {base} (HTTP {code}): accept its licence on the hub&apos;s page, then set HF_TOKEN to a token of your account.</source>
        <translation>{what} は {base} で利用制限付きか非公開です（HTTP {code}）: ハブのページでライセンスに同意し、HF_TOKEN にあなたのアカウントのトークンを設定してください。</translation>
    </message>
    <message>
        <source>{what} was not found on {base} (HTTP 404).</source>
        <translation>{what} は {base} に見つかりませんでした（HTTP 404）。</translation>
    </message>
    <message>
        <source>{what}: the hub refused the byte range asked for (HTTP 416).</source>
        <translation>{what}: ハブが要求したバイト範囲を拒否しました（HTTP 416）。</translation>
    </message>
    <message>
        <source>{what}: the hub answered HTTP {code}.</source>
        <translation>{what}: ハブの応答は HTTP {code} でした。</translation>
    </message>
    <message>
        <source>{what}: the hub at {base} did not answer JSON.</source>
        <translation>{what}: {base} のハブが JSON で応答しませんでした。</translation>
    </message>
    <message>
        <source>Search for {kinds} or voice, not {kind}.</source>
        <translation>検索できるのは {kinds} または voice です（{kind} ではなく）。</translation>
    </message>
    <message>
        <source>The search for {query}</source>
        <translation>{query} の検索</translation>
    </message>
    <message>
        <source>The hub at {base} answered the search with something else.</source>
        <translation>{base} のハブが検索に想定外の内容で応答しました。</translation>
    </message>
    <message>
        <source>The repository {repo}</source>
        <translation>リポジトリ {repo}</translation>
    </message>
    <message>
        <source>{what}: the hub answered with something else.</source>
        <translation>{what}: ハブが想定外の内容で応答しました。</translation>
    </message>
    <message>
        <source>The Piper voice catalogue</source>
        <translation>Piper 音声のカタログ</translation>
    </message>
    <message>
        <source>The Piper voice catalogue is not JSON.</source>
        <translation>Piper 音声のカタログが JSON ではありません。</translation>
    </message>
    <message>
        <source>{repo} is not a repository name: give it as owner/name.</source>
        <translation>{repo} はリポジトリ名ではありません: owner/name の形で指定してください。</translation>
    </message>
    <message>
        <source>Not enough free space in {folder}: the download needs {needed} and {free} is free.</source>
        <translation>{folder} の空き容量が足りません: ダウンロードには {needed} 必要ですが、空きは {free} です。</translation>
    </message>
    <message>
        <source>The download of {what} kept failing ({reason}); run it again to resume from where it stopped.</source>
        <translation>{what} のダウンロードが失敗し続けました（{reason}）。もう一度実行すると、止まったところから再開します。</translation>
    </message>
    <message>
        <source>{what} arrived with {size} bytes, not the {listed} the hub lists: it was not kept; download it again.</source>
        <translation>{what} は {size} バイトで届き、ハブが示す {listed} バイトと違います: 保存しませんでした。もう一度ダウンロードしてください。</translation>
    </message>
    <message>
        <source>{what} does not match the hub&apos;s SHA-256 (got {got}…, expected {expected}…): it was not kept; download it again.</source>
        <translation>{what} はハブの SHA-256 と一致しません（実際 {got}…、期待値 {expected}…）: 保存しませんでした。もう一度ダウンロードしてください。</translation>
    </message>
    <message>
        <source>Cannot use {folder} as a shared model folder: it is not a folder.</source>
        <translation>{folder} は共有モデルフォルダーとして使えません: フォルダーではありません。</translation>
    </message>
    <message>
        <source>A matrix of width {width} cannot be split into blocks of {block}.</source>
        <translation>幅 {width} の行列は {block} ずつのブロックに分けられません。</translation>
    </message>
    <message>
        <source>The GGUF file lacks llama.{key}: it cannot be run.</source>
        <translation>GGUF ファイルに llama.{key} がありません: 実行できません。</translation>
    </message>
    <message>
        <source>The GGUF file lacks the tensor {name}: it cannot be run.</source>
        <translation>GGUF ファイルにテンソル {name} がありません: 実行できません。</translation>
    </message>
    <message>
        <source>{path} has no tokenizer transformers can read: {reason}</source>
        <translation>{path} には transformers が読めるトークナイザーがありません: {reason}</translation>
    </message>
    <message>
        <source>{path} holds a &apos;{arch}&apos; model, which transformers cannot read from GGUF: {reason}</source>
        <translation>{path} は「{arch}」のモデルで、transformers は GGUF から読めません: {reason}</translation>
    </message>
    <message>
        <source>{path} could not be loaded: {reason}</source>
        <translation>{path} を読み込めませんでした: {reason}</translation>
    </message>
    <message>
        <source>a text</source>
        <translation>テキスト</translation>
    </message>
    <message>
        <source>an image</source>
        <translation>画像</translation>
    </message>
    <message>
        <source>a music</source>
        <translation>音楽</translation>
    </message>
    <message>
        <source>a speech</source>
        <translation>音声</translation>
    </message>
    <message>
        <source>&apos;{model}&apos; is {task} model, not {wanted} model.</source>
        <translation>「{model}」は{task}のモデルで、{wanted}のモデルではありません。</translation>
    </message>
    <message>
        <source>{low} to {high} ({how})</source>
        <translation>{low} から {high}（{how}）</translation>
    </message>
    <message>
        <source>calibrated</source>
        <translation>較正済み</translation>
    </message>
    <message>
        <source>not calibrated for this model</source>
        <translation>このモデルでは未較正</translation>
    </message>
    <message>
        <source>Steering &apos;{name}&apos; at {strength} is outside its range on {model}: {range}.</source>
        <translation>ステアリング「{name}」の {strength} は {model} での範囲外です: {range}。</translation>
    </message>
    <message>
        <source>&apos;{model}&apos; is not an imported model; built-in models stay.</source>
        <translation>「{model}」は取り込んだモデルではありません。組み込みのモデルは削除できません。</translation>
    </message>
    <message>
        <source>Not changing your imported models: {reason}. Mend or move it, then try again.</source>
        <translation>取り込んだモデルの一覧は変更しません: {reason}。修復するか移動してから、もう一度試してください。</translation>
    </message>
    <message>
        <source>the list {path} is damaged ({why})</source>
        <translation>一覧 {path} が壊れています（{why}）</translation>
    </message>
    <message>
        <source>the list {path} cannot be read ({why})</source>
        <translation>一覧 {path} を読めません（{why}）</translation>
    </message>
    <message>
        <source>{count} entries of {path} are damaged</source>
        <translation>{path} の {count} 件の項目が壊れています</translation>
    </message>
    <message>
        <source>Your list of imported models {path} is damaged ({why}) and could not be set aside ({reason}): it is left as it is.</source>
        <translation>取り込んだモデルの一覧 {path} が壊れていて（{why}）、退避もできませんでした（{reason}）: そのままにしてあります。</translation>
    </message>
    <message>
        <source>Your list of imported models was damaged ({why}): it was set aside as {name} and a new list is started.</source>
        <translation>取り込んだモデルの一覧が壊れていました（{why}）: {name} として退避し、新しい一覧を始めました。</translation>
    </message>
    <message>
        <source>Your list of imported models cannot be read: {why}.</source>
        <translation>取り込んだモデルの一覧を読めません: {why}。</translation>
    </message>
    <message>
        <source>it is not UTF-8 text</source>
        <translation>UTF-8 のテキストではありません</translation>
    </message>
    <message>
        <source>not JSON: {reason}</source>
        <translation>JSON ではありません: {reason}</translation>
    </message>
    <message>
        <source>not a list of models</source>
        <translation>モデルの一覧ではありません</translation>
    </message>
    <message>
        <source>none of its {count} entries can be used</source>
        <translation>{count} 件の項目のどれも使えません</translation>
    </message>
    <message>
        <source>{count} imported model(s) in {path} are damaged or repeat an id, and the list could not be mended ({why}): it is left as it is.</source>
        <translation>{path} の取り込んだモデル {count} 件が壊れているか ID が重複していて、一覧を修復できませんでした（{why}）: そのままにしてあります。</translation>
    </message>
    <message>
        <source>{count} imported model(s) in your list were damaged or repeated an id and were left out; the list as it was is kept as {name}.</source>
        <translation>一覧の取り込んだモデル {count} 件が壊れているか ID が重複していたため除きました。元の一覧は {name} として残してあります。</translation>
    </message>
    <message>
        <source>Unknown device {value}: choose auto, cpu or cuda.</source>
        <translation>不明なデバイス {value}: auto・cpu・cuda のいずれかを選んでください。</translation>
    </message>
    <message>
        <source>Nothing could be spoken of chapter {chapter}: {why}</source>
        <translation>第 {chapter} 章は何も読み上げられませんでした: {why}</translation>
    </message>
    <message>
        <source>the voice cannot read it</source>
        <translation>この音声では読めません</translation>
    </message>
    <message>
        <source>torch cannot be imported: {reason}</source>
        <translation>torch を読み込めません: {reason}</translation>
    </message>
    <message>
        <source>torch sees no CUDA device</source>
        <translation>torch から CUDA デバイスが見えません</translation>
    </message>
    <message>
        <source>this torch build has no CUDA support (CPU build)</source>
        <translation>この torch は CUDA 非対応の CPU 版です</translation>
    </message>
    <message>
        <source>CUDA {version} with {count} device(s)</source>
        <translation>CUDA {version}、デバイス {count} 台</translation>
    </message>
    <message>
        <source>CUDA check failed: {reason}</source>
        <translation>CUDA の確認に失敗しました: {reason}</translation>
    </message>
    <message>
        <source>torch not loaded (ONNX Runtime only)</source>
        <translation>torch は読み込んでいません（ONNX Runtime のみ）</translation>
    </message>
    <message>
        <source>onnxruntime cannot be imported: {reason}</source>
        <translation>onnxruntime を読み込めません: {reason}</translation>
    </message>
    <message>
        <source>this ONNX Runtime has no CUDA provider</source>
        <translation>この ONNX Runtime には CUDA プロバイダーがありません</translation>
    </message>
    <message>
        <source>CUDA provider failed to load: {reason}</source>
        <translation>CUDA プロバイダーを読み込めませんでした: {reason}</translation>
    </message>
    <message>
        <source>CUDA provider loads</source>
        <translation>CUDA プロバイダーを読み込めます</translation>
    </message>
    <message>
        <source>CUDA provider is listed but cannot load here (no CUDA libraries or GPU)</source>
        <translation>CUDA プロバイダーはありますが、ここでは読み込めません（CUDA ライブラリーか GPU がありません）</translation>
    </message>
    <message>
        <source>{threads} set in Settings</source>
        <translation>設定で {threads} を指定</translation>
    </message>
    <message>
        <source>1 of {logical} logical CPUs: on busy 2-core machines 2 threads ran 5-30x slower than 1 (see tests/bench/bench_threads.py)</source>
        <translation>論理 CPU {logical} 個のうち 1 個: 忙しい 2 コアのマシンでは 2 スレッドが 1 スレッドより 5〜30 倍遅くなりました（tests/bench/bench_threads.py を参照）</translation>
    </message>
    <message>
        <source>{threads} of {logical} logical CPUs: one is left for the window</source>
        <translation>論理 CPU {logical} 個のうち {threads} 個: 1 個はウィンドウ用に残します</translation>
    </message>
    <message>
        <source>{threads} of {logical} logical CPUs (half, capped at 8: hyper-threads share units)</source>
        <translation>論理 CPU {logical} 個のうち {threads} 個（半分、上限 8: ハイパースレッドは演算器を共有します）</translation>
    </message>
    <message>
        <source>1 physical core: speaking is short bursts of work on an idle desktop</source>
        <translation>物理コア 1 個: 読み上げは空いたデスクトップでの短い集中的な処理です</translation>
    </message>
    <message>
        <source>{threads} physical cores: speaking is short bursts of work on an idle desktop</source>
        <translation>物理コア {threads} 個: 読み上げは空いたデスクトップでの短い集中的な処理です</translation>
    </message>
    <message>
        <source>CPU chosen in Settings</source>
        <translation>設定で CPU を選択</translation>
    </message>
    <message>
        <source>CUDA: ONNX Runtime&apos;s CUDA provider loads</source>
        <translation>CUDA: ONNX Runtime の CUDA プロバイダーを読み込めます</translation>
    </message>
    <message>
        <source>CUDA device found by torch {version} ({note})</source>
        <translation>torch {version} が CUDA デバイスを検出（{note}）</translation>
    </message>
    <message>
        <source>CUDA chosen in Settings; {reason}</source>
        <translation>設定で CUDA を選択。{reason}</translation>
    </message>
    <message>
        <source>no CUDA device</source>
        <translation>CUDA デバイスなし</translation>
    </message>
    <message>
        <source>ONNX Runtime has no usable CUDA provider</source>
        <translation>ONNX Runtime に使える CUDA プロバイダーがありません</translation>
    </message>
    <message>
        <source>CPU: {why}</source>
        <translation>CPU: {why}</translation>
    </message>
    <message>
        <source>CUDA was asked for but is not usable ({why}); using the CPU</source>
        <translation>CUDA が指定されましたが使えません（{why}）。CPU を使います</translation>
    </message>
    <message>
        <source>ONNX Runtime: CUDA provider loads</source>
        <translation>ONNX Runtime: CUDA プロバイダーを読み込めます</translation>
    </message>
    <message>
        <source>ONNX Runtime: CPU provider ({note})</source>
        <translation>ONNX Runtime: CPU プロバイダー（{note}）</translation>
    </message>
    <message>
        <source>CPU chosen</source>
        <translation>CPU を選択</translation>
    </message>
    <message>
        <source>{written} written in {seconds} s ({where})</source>
        <translation>{written} 個を書き出しました（{seconds} 秒、{where}）</translation>
    </message>
    <message>
        <source>{written} written, {skipped} already there in {seconds} s ({where})</source>
        <translation>{written} 個を書き出し、{skipped} 個は既にありました（{seconds} 秒、{where}）</translation>
    </message>
    <message>
        <source>here</source>
        <translation>このマシン</translation>
    </message>
    <message>
        <source>Ray, 1 worker at {address}</source>
        <translation>Ray、{address} のワーカー 1 個</translation>
    </message>
    <message>
        <source>Ray, {workers} workers at {address}</source>
        <translation>Ray、{address} のワーカー {workers} 個</translation>
    </message>
    <message>
        <source>no content credentials</source>
        <translation>コンテンツ認証情報はありません</translation>
    </message>
    <message>
        <source>, from {sources}</source>
        <translation>、素材 {sources}</translation>
    </message>
    <message>
        <source>C2PA manifest by {generator}, {action}{sources}, signature valid (self-issued key)</source>
        <translation>{generator} による C2PA マニフェスト、{action}{sources}、署名は有効（自己発行の鍵）</translation>
    </message>
    <message>
        <source>C2PA manifest by {generator}, but it does not validate: {problems}</source>
        <translation>{generator} による C2PA マニフェストですが、検証に通りません: {problems}</translation>
    </message>
    <message>
        <source>Sōzō Studio watermark found (version {version})</source>
        <translation>Sōzō Studio の透かしがあります（バージョン {version}）</translation>
    </message>
    <message>
        <source>no Sōzō Studio watermark found</source>
        <translation>Sōzō Studio の透かしはありません</translation>
    </message>
    <message>
        <source>the settings file {path} cannot be read ({reason}): using the defaults</source>
        <translation>設定ファイル {path} を読めません（{reason}）: 既定値を使います</translation>
    </message>
    <message>
        <source>{name}: {problem} (using the default, {default})</source>
        <translation>{name}: {problem}（既定値 {default} を使います）</translation>
    </message>
    <message>
        <source>Skipped a letter that {voice} cannot read: {parts}.</source>
        <translation>{voice} が読めない文字を飛ばしました: {parts}。</translation>
    </message>
    <message>
        <source>Skipped letters that {voice} cannot read: {parts}.</source>
        <translation>{voice} が読めない文字を飛ばしました: {parts}。</translation>
    </message>
    <message>
        <source>The history database {path} cannot be opened: {reason}</source>
        <translation>履歴のデータベース {path} を開けません: {reason}</translation>
    </message>
    <message>
        <source>This Python&apos;s SQLite has no full-text search: searching matches words.</source>
        <translation>この Python の SQLite には全文検索がありません: 検索は語の一致で行います。</translation>
    </message>
    <message>
        <source>it cannot be read ({reason})</source>
        <translation>読めません（{reason}）</translation>
    </message>
    <message>
        <source>it was written by a newer Sōzō Studio (version {version}, this one reads {reads})</source>
        <translation>新しい Sōzō Studio で書かれています（バージョン {version}、このスタジオが読めるのは {reads}）</translation>
    </message>
    <message>
        <source>it is damaged ({result})</source>
        <translation>壊れています（{result}）</translation>
    </message>
    <message>
        <source>The history database could not be used: {problem}. It was kept as {name} beside it, and a new history was started.</source>
        <translation>履歴のデータベースを使えませんでした: {problem}。同じ場所に {name} として残し、新しい履歴を始めました。</translation>
    </message>
    <message>
        <source>{first} {then}</source>
        <translation>{first} {then}</translation>
    </message>
    <message>
        <source>silent</source>
        <translation>無音</translation>
    </message>
    <message>
        <source>{lufs} LUFS, true peak {peak} dBTP</source>
        <translation>{lufs} LUFS、トゥルーピーク {peak} dBTP</translation>
    </message>
    <message>
        <source>loudness {measured} (target {target} LUFS, EBU R128; true peak at most {peak} dBTP)</source>
        <translation>ラウドネス {measured}（目標 {target} LUFS、EBU R128。トゥルーピークは最大 {peak} dBTP）</translation>
    </message>
</context>
<context>
    <name>EngineNotBuiltPanel</name>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>This panel&apos;s engine is not built yet.</source>
        <translation>このパネルのエンジンはまだ実装されていません。</translation>
    </message>
    <message>
        <source>&lt;p&gt;&lt;b&gt;The %1 engine is not built yet.&lt;/b&gt; %2&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;%1 エンジンはまだ実装されていません。&lt;/b&gt; %2&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Nothing is generated here until it is. The models it will run:&lt;/p&gt;</source>
        <translation>&lt;p&gt;実装されるまで、ここでは何も生成されません。使用予定のモデル：&lt;/p&gt;</translation>
    </message>
    <message>
        <source>installed, %1</source>
        <translation>インストール済み、%1</translation>
    </message>
    <message>
        <source>not installed</source>
        <translation>未インストール</translation>
    </message>
    <message>
        <source>&lt;li&gt;weights trained by the project, shipped with the studio&lt;/li&gt;</source>
        <translation>&lt;li&gt;プロジェクトが学習し、スタジオに同梱した重み&lt;/li&gt;</translation>
    </message>
</context>
<context>
    <name>FileDragLabel</name>
    <message>
        <source>Drag this into a file manager, a DAW or a video editor</source>
        <translation>ファイル マネージャー、DAW、動画編集ソフトへドラッグしてください</translation>
    </message>
</context>
<context>
    <name>HistoryDock</name>
    <message>
        <source>History</source>
        <translation>履歴</translation>
    </message>
    <message>
        <source>The history cannot be opened, nothing will be recorded: %1</source>
        <translation>履歴を開けないため、何も記録されません: %1</translation>
    </message>
    <message>
        <source>&amp;History</source>
        <translation>履歴(&amp;H)</translation>
    </message>
</context>
<context>
    <name>HistoryListModel</name>
    <message>
        <source>(untitled)</source>
        <translation>(無題)</translation>
    </message>
    <message>
        <source>file missing</source>
        <translation>ファイルがありません</translation>
    </message>
    <message>
        <source>%1 (missing)</source>
        <translation>%1 (見つかりません)</translation>
    </message>
    <message>
        <source>Licence: %1</source>
        <translation>ライセンス: %1</translation>
    </message>
    <message>
        <source>Seed: %1</source>
        <translation>シード: %1</translation>
    </message>
</context>
<context>
    <name>HistoryRecorder</name>
    <message>
        <source>The history could not be written: %1</source>
        <translation>履歴を書き込めませんでした: %1</translation>
    </message>
    <message>
        <source>%1: %2 bars at %3 BPM</source>
        <translation>%1: %2 小節、%3 BPM</translation>
    </message>
</context>
<context>
    <name>HistoryView</name>
    <message>
        <source>Image</source>
        <translation>画像</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>テキスト</translation>
    </message>
    <message>
        <source>Melody</source>
        <translation>メロディー</translation>
    </message>
    <message>
        <source>Speech</source>
        <translation>音声</translation>
    </message>
    <message>
        <source>Walk</source>
        <translation>ウォーク</translation>
    </message>
    <message>
        <source>Search prompts, replies and scripts</source>
        <translation>プロンプト・返答・台本を検索</translation>
    </message>
    <message>
        <source>All kinds</source>
        <translation>すべての種類</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>すべての期間</translation>
    </message>
    <message>
        <source>Past day</source>
        <translation>過去 1 日</translation>
    </message>
    <message>
        <source>Past 7 days</source>
        <translation>過去 7 日</translation>
    </message>
    <message>
        <source>Past 30 days</source>
        <translation>過去 30 日</translation>
    </message>
    <message>
        <source>Past year</source>
        <translation>過去 1 年</translation>
    </message>
    <message numerus="yes">
        <source>The first %n items: search or filter to see others</source>
        <translation>
            <numerusform>最初の %n 件です。ほかを見るには検索か絞り込みを使ってください</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n item(s)</source>
        <translation>
            <numerusform>%n 件</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n with a missing file</source>
        <translation>
            <numerusform>ファイルが見つからないもの %n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>All models</source>
        <translation>すべてのモデル</translation>
    </message>
    <message>
        <source>Open in panel</source>
        <translation>パネルで開く</translation>
    </message>
    <message>
        <source>Show file</source>
        <translation>ファイルを表示</translation>
    </message>
    <message>
        <source>Relink…</source>
        <translation>場所を指定し直す…</translation>
    </message>
    <message>
        <source>Remove from history</source>
        <translation>履歴から削除</translation>
    </message>
    <message>
        <source>Remove and delete the file…</source>
        <translation>履歴から削除してファイルも消す…</translation>
    </message>
    <message>
        <source>Where is %1 now?</source>
        <translation>%1 は今どこにありますか?</translation>
    </message>
    <message>
        <source>Delete the file?</source>
        <translation>ファイルを削除しますか?</translation>
    </message>
    <message>
        <source>Remove this item from the history and delete from the disk:
%1</source>
        <translation>この項目を履歴から削除し、ディスクからも消します:
%1</translation>
    </message>
</context>
<context>
    <name>HubDialog</name>
    <message>
        <source>Text models (GGUF)</source>
        <translation>テキストモデル（GGUF）</translation>
    </message>
    <message>
        <source>Text models (Hugging Face folders)</source>
        <translation>テキストモデル（Hugging Face フォルダー）</translation>
    </message>
    <message>
        <source>Stable Diffusion models</source>
        <translation>Stable Diffusion モデル</translation>
    </message>
    <message>
        <source>Piper voices</source>
        <translation>Piper の音声</translation>
    </message>
    <message>
        <source>Download models</source>
        <translation>モデルのダウンロード</translation>
    </message>
    <message>
        <source>Search the hub (a name, or a language for voices)</source>
        <translation>ハブを検索（名前、音声なら言語）</translation>
    </message>
    <message>
        <source>Search</source>
        <translation>検索</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>ダウンロード</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <source>Quantisation:</source>
        <translation>量子化：</translation>
    </message>
    <message>
        <source>Hub: %1</source>
        <translation>ハブ：%1</translation>
    </message>
    <message>
        <source>Set HF_ENDPOINT to use a mirror.</source>
        <translation>ミラーを使うには HF_ENDPOINT を設定します。</translation>
    </message>
    <message>
        <source>Voice</source>
        <translation>音声</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>品質</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>サンプルレート</translation>
    </message>
    <message>
        <source>Repository</source>
        <translation>リポジトリ</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>ライセンス</translation>
    </message>
    <message>
        <source>Downloads</source>
        <translation>ダウンロード数</translation>
    </message>
    <message>
        <source>Searching…</source>
        <translation>検索中…</translation>
    </message>
    <message>
        <source>Search the hub</source>
        <translation>ハブを検索</translation>
    </message>
    <message>
        <source>gated</source>
        <translation>制限付き</translation>
    </message>
    <message numerus="yes">
        <source>%n result(s)</source>
        <translation>
            <numerusform>%n 件</numerusform>
        </translation>
    </message>
    <message>
        <source>Nothing found.</source>
        <translation>見つかりませんでした。</translation>
    </message>
    <message>
        <source>Reading the repository…</source>
        <translation>リポジトリを読み込み中…</translation>
    </message>
    <message>
        <source>Read a repository</source>
        <translation>リポジトリを読み込む</translation>
    </message>
    <message>
        <source>none given</source>
        <translation>記載なし</translation>
    </message>
    <message>
        <source> · gated: the hub asks you to accept its terms</source>
        <translation> · 制限付き：ハブで利用条件への同意が必要です</translation>
    </message>
    <message>
        <source>&lt;b&gt;Licence:&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;ライセンス：&lt;/b&gt; %1</translation>
    </message>
    <message>
        <source>&lt;br&gt;&lt;b&gt;Files:&lt;/b&gt;&lt;br&gt;%1</source>
        <translation>&lt;br&gt;&lt;b&gt;ファイル：&lt;/b&gt;&lt;br&gt;%1</translation>
    </message>
    <message>
        <source>%1 · %2 · licence: %3</source>
        <translation>%1 · %2 · ライセンス：%3</translation>
    </message>
    <message>
        <source>Download %1</source>
        <translation>%1 をダウンロード</translation>
    </message>
    <message>
        <source>Downloading: progress and Cancel are in the Jobs dock.</source>
        <translation>ダウンロード中：進行状況とキャンセルはジョブ欄にあります。</translation>
    </message>
    <message>
        <source>%1 is under %2.

Read its terms on the hub. Do you accept them?</source>
        <translation>%1 のライセンスは %2 です。

ハブで利用条件を読んでください。同意しますか？</translation>
    </message>
    <message>
        <source>Installed as %1: it is listed in its panel.</source>
        <translation>%1 としてインストールしました。パネルの一覧に表示されます。</translation>
    </message>
</context>
<context>
    <name>JobQueue</name>
    <message>
        <source>Queued</source>
        <translation>待機中</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>実行中</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失敗</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>中止</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 秒</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 分 %2 秒</translation>
    </message>
</context>
<context>
    <name>JobQueueWidget</name>
    <message>
        <source>Cancel all</source>
        <translation>すべて中止</translation>
    </message>
    <message>
        <source>Clear finished</source>
        <translation>終了したものを消去</translation>
    </message>
    <message>
        <source>No jobs yet. Generations you start appear here.</source>
        <translation>ジョブはまだありません。開始した生成はここに表示されます。</translation>
    </message>
    <message>
        <source>%1 active</source>
        <translation>実行中 %1 件</translation>
    </message>
    <message>
        <source>Idle</source>
        <translation>待機中</translation>
    </message>
    <message>
        <source>%1 in all</source>
        <translation>全 %1 件</translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation>失敗 %1 件</translation>
    </message>
</context>
<context>
    <name>JobRowWidget</name>
    <message>
        <source>Cancel this job</source>
        <translation>このジョブを中止</translation>
    </message>
    <message>
        <source>The details are in the log file {path}</source>
        <translation>詳しくはログファイル {path} にあります</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Jobs</source>
        <translation>ジョブ</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <source>Open output folder</source>
        <translation>出力フォルダーを開く</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>ツール(&amp;T)</translation>
    </message>
    <message>
        <source>&amp;Models…</source>
        <translation>モデル(&amp;M)…</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>設定(&amp;S)…</translation>
    </message>
    <message>
        <source>&amp;Batch…</source>
        <translation>バッチ(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>表示(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>ヘルプ(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About %1</source>
        <translation>%1 について(&amp;A)</translation>
    </message>
</context>
<context>
    <name>MessageWidget</name>
    <message>
        <source>You</source>
        <translation>あなた</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>アシスタント</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>コピー</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>編集</translation>
    </message>
    <message>
        <source>Put this message back in the prompt box and resend it from here</source>
        <translation>このメッセージを入力欄に戻し、ここから送り直します</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>再生成</translation>
    </message>
    <message>
        <source>%1 tokens · %2 tokens/s</source>
        <translation>%1 トークン · %2 トークン/秒</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>中断</translation>
    </message>
</context>
<context>
    <name>ModelsDialog</name>
    <message>
        <source>Language model (GGUF file or Hugging Face folder)</source>
        <translation>言語モデル（GGUF ファイルまたは Hugging Face フォルダー）</translation>
    </message>
    <message>
        <source>Stable Diffusion checkpoint (.safetensors or diffusers folder)</source>
        <translation>Stable Diffusion チェックポイント（.safetensors または diffusers フォルダー）</translation>
    </message>
    <message>
        <source>Piper voice (.onnx with its .onnx.json)</source>
        <translation>Piper 音声（.onnx と .onnx.json）</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>タスク</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>種類</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>ライセンス</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>入手元</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>サイズ</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状態</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>モデル</translation>
    </message>
    <message>
        <source>Import a model…</source>
        <translation>モデルを読み込む…</translation>
    </message>
    <message>
        <source>Remove from list</source>
        <translation>一覧から削除</translation>
    </message>
    <message>
        <source>Download from the hub…</source>
        <translation>ハブからダウンロード…</translation>
    </message>
    <message>
        <source>Add a shared folder…</source>
        <translation>共有フォルダーを追加…</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <source>Missing</source>
        <translation>見つかりません</translation>
    </message>
    <message>
        <source>Installed · engine not built yet</source>
        <translation>インストール済み · エンジン未実装</translation>
    </message>
    <message>
        <source>Ready (opt-in)</source>
        <translation>使用可能（任意で有効化）</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>使用可能</translation>
    </message>
    <message>
        <source>&lt;br&gt;&lt;b&gt;Licence:&lt;/b&gt; %1</source>
        <translation>&lt;br&gt;&lt;b&gt;ライセンス：&lt;/b&gt; %1</translation>
    </message>
    <message>
        <source>&lt;br&gt;&lt;b&gt;Please note:&lt;/b&gt; %1</source>
        <translation>&lt;br&gt;&lt;b&gt;注意：&lt;/b&gt; %1</translation>
    </message>
    <message>
        <source>&lt;br&gt;&lt;b&gt;Training data:&lt;/b&gt; %1</source>
        <translation>&lt;br&gt;&lt;b&gt;学習データ：&lt;/b&gt; %1</translation>
    </message>
    <message>
        <source>&lt;br&gt;&lt;b&gt;Files:&lt;/b&gt;&lt;br&gt;%1</source>
        <translation>&lt;br&gt;&lt;b&gt;ファイル：&lt;/b&gt;&lt;br&gt;%1</translation>
    </message>
    <message>
        <source>&lt;br&gt;&lt;b&gt;Missing:&lt;/b&gt; %1</source>
        <translation>&lt;br&gt;&lt;b&gt;見つかりません：&lt;/b&gt; %1</translation>
    </message>
    <message>
        <source>Import a model</source>
        <translation>モデルを読み込む</translation>
    </message>
    <message>
        <source>What kind of model?</source>
        <translation>どの種類のモデルですか？</translation>
    </message>
    <message>
        <source>Choose the model file (or cancel to pick a folder)</source>
        <translation>モデル ファイルを選択（フォルダーを選ぶ場合はキャンセル）</translation>
    </message>
    <message>
        <source>Models (*.gguf *.safetensors *.json);;All files (*)</source>
        <translation>モデル (*.gguf *.safetensors *.json);;すべてのファイル (*)</translation>
    </message>
    <message>
        <source>Choose the model folder</source>
        <translation>モデル フォルダーを選択</translation>
    </message>
    <message>
        <source>Choose the model file</source>
        <translation>モデル ファイルを選択</translation>
    </message>
    <message>
        <source>Choose a models folder (ComfyUI, AUTOMATIC1111, LM Studio…)</source>
        <translation>モデルフォルダーを選択（ComfyUI、AUTOMATIC1111、LM Studio など）</translation>
    </message>
    <message>
        <source>text</source>
        <translation>テキスト</translation>
    </message>
    <message>
        <source>image</source>
        <translation>画像</translation>
    </message>
    <message>
        <source>music</source>
        <translation>音楽</translation>
    </message>
    <message>
        <source>speech</source>
        <translation>音声</translation>
    </message>
    <message>
        <source>installed package</source>
        <translation>インストール済みパッケージ</translation>
    </message>
    <message>
        <source>shipped with the studio</source>
        <translation>スタジオに同梱</translation>
    </message>
    <message>
        <source>imported by you</source>
        <translation>ユーザーが読み込み</translation>
    </message>
    <message>
        <source>Delete %1 and its downloaded files from the disk?</source>
        <translation>%1 とダウンロードしたファイルをディスクから削除しますか？</translation>
    </message>
    <message>
        <source>Take %1 off the list? Its files stay where they are.</source>
        <translation>%1 を一覧から外しますか？ファイルはそのまま残ります。</translation>
    </message>
    <message>
        <source>Remove a model</source>
        <translation>モデルを削除</translation>
    </message>
    <message>
        <source>Add a shared folder</source>
        <translation>共有フォルダーを追加</translation>
    </message>
    <message>
        <source>Added %1 model(s), %2 listed already, %3 skipped.</source>
        <translation>%1 個のモデルを追加、%2 個は登録済み、%3 個はスキップしました。</translation>
    </message>
    <message>
        <source>%1: not a model the studio recognises (a .gguf, a .safetensors, a Piper .onnx with its .onnx.json, or a model folder).</source>
        <translation>%1：スタジオが扱えるモデルではありません（.gguf、.safetensors、.onnx.json を伴う Piper の .onnx、またはモデルフォルダー）。</translation>
    </message>
    <message>
        <source>%1 looks like a %2, but: %3</source>
        <translation>%1 は%2のようですが、読み込めません：%3</translation>
    </message>
    <message>
        <source>%1: recognised as a %2, added as %3.</source>
        <translation>%1：%2として認識し、%3 として追加しました。</translation>
    </message>
    <message>
        <source>language model</source>
        <translation>言語モデル</translation>
    </message>
    <message>
        <source>Stable Diffusion model</source>
        <translation>Stable Diffusion モデル</translation>
    </message>
    <message>
        <source>Piper voice</source>
        <translation>Piper の音声</translation>
    </message>
</context>
<context>
    <name>OpenFiles</name>
    <message>
        <source>%1 is a folder: open a picture, a MIDI file or a WAV/FLAC file.</source>
        <translation>%1 はフォルダーです。画像、MIDI ファイル、WAV/FLAC ファイルを開いてください。</translation>
    </message>
    <message>
        <source>%1 does not exist.</source>
        <translation>%1 は存在しません。</translation>
    </message>
    <message>
        <source>%1 cannot be read: %2.</source>
        <translation>%1 を読み込めません：%2。</translation>
    </message>
    <message>
        <source>%1: not a file the studio opens (a picture, a MIDI file, or WAV/FLAC audio).</source>
        <translation>%1：スタジオで開けるファイルではありません（画像、MIDI ファイル、WAV/FLAC 音声のみ）。</translation>
    </message>
    <message>
        <source>Opened %1 in %2.</source>
        <translation>%1 を「%2」で開きました。</translation>
    </message>
    <message>
        <source>%1 (and %2 more)</source>
        <translation>%1（ほか %2 件）</translation>
    </message>
    <message>
        <source>%1 Opened %2 other file(s).</source>
        <translation>%1 ほかの %2 個のファイルは開きました。</translation>
    </message>
    <message>
        <source>Opened %1 files.</source>
        <translation>%1 個のファイルを開きました。</translation>
    </message>
</context>
<context>
    <name>Playback</name>
    <message>
        <source>this system has no PulseAudio library (libpulse.so.0, Debian package libpulse0)</source>
        <translation>このシステムには PulseAudio ライブラリ（libpulse.so.0、Debian パッケージ libpulse0）がありません</translation>
    </message>
    <message>
        <source>no PulseAudio (or PipeWire) sound server is running</source>
        <translation>PulseAudio（または PipeWire）のサウンド サーバーが動いていません</translation>
    </message>
    <message>
        <source>Qt Multimedia cannot load (%1)</source>
        <translation>Qt Multimedia を読み込めません（%1）</translation>
    </message>
    <message>
        <source>no audio output device was found</source>
        <translation>音声出力デバイスが見つかりません</translation>
    </message>
    <message>
        <source>the audio devices cannot be listed (%1)</source>
        <translation>音声デバイスを一覧できません（%1）</translation>
    </message>
    <message>
        <source>Playback is off: %1. %2</source>
        <translation>再生できません：%1。%2</translation>
    </message>
</context>
<context>
    <name>SaveElsewhere</name>
    <message>
        <source>Replace the file?</source>
        <translation>ファイルを置き換えますか?</translation>
    </message>
    <message>
        <source>{name} exists already. Replace it?</source>
        <translation>{name} はすでにあります。置き換えますか?</translation>
    </message>
    <message>
        <source>The old file stays as it is until the new one is whole.</source>
        <translation>新しいファイルが書き終わるまで、古いファイルはそのまま残ります。</translation>
    </message>
    <message>
        <source>Could not save: {why} The {kept} is kept: use Export as… to save it elsewhere.</source>
        <translation>保存できませんでした: {why} {kept}は保持しています。「名前を付けて書き出す…」で別の場所に保存してください。</translation>
    </message>
</context>
<context>
    <name>ServerBarWidget</name>
    <message>
        <source>Serve the OpenAI-compatible API</source>
        <translation>OpenAI 互換 API を提供</translation>
    </message>
    <message>
        <source>The API server&apos;s host must be an address such as 127.0.0.1.</source>
        <translation>API サーバーのホストには 127.0.0.1 のようなアドレスを指定してください。</translation>
    </message>
    <message>
        <source>Listening on %1 opens the studio to other machines: set an API key in Settings (Generate makes one), or listen on 127.0.0.1.</source>
        <translation>%1 で待ち受けると、ほかのマシンからスタジオを使えるようになります。設定で API キーを指定する（「生成」で作れます）か、127.0.0.1 で待ち受けてください。</translation>
    </message>
    <message>
        <source>Let other programs use the local models through an OpenAI-compatible API (on this machine only unless Settings give another host and an API key); their requests show here as jobs.</source>
        <translation>OpenAI 互換の API を通して、ほかのプログラムからローカルのモデルを使えるようにします（設定で別のホストと API キーを指定しない限り、このマシンからのみ）。リクエストはここにジョブとして表示されます。</translation>
    </message>
    <message>
        <source>Serve API</source>
        <translation>API を提供</translation>
    </message>
    <message>
        <source>API server off</source>
        <translation>API サーバー停止中</translation>
    </message>
    <message>
        <source>Serving at %1 (clients must send the API key)</source>
        <translation>%1 で提供中（クライアントは API キーの送信が必要）</translation>
    </message>
    <message>
        <source>Serving at %1</source>
        <translation>%1 で提供中</translation>
    </message>
    <message>
        <source>Stop API</source>
        <translation>API を停止</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>設定</translation>
    </message>
    <message>
        <source>Automatic (GPU when available)</source>
        <translation>自動（使えれば GPU）</translation>
    </message>
    <message>
        <source>GPU (CUDA)</source>
        <translation>GPU（CUDA）</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Compute device</source>
        <translation>計算デバイス</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>自動</translation>
    </message>
    <message>
        <source>CPU threads</source>
        <translation>CPU スレッド数</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>選択…</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>出力フォルダー</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>システムに合わせる</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>ライト</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>ダーク</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>テーマ</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>言語</translation>
    </message>
    <message>
        <source>Mark saved pictures, melodies and speech with an invisible watermark</source>
        <translation>保存する画像・曲・音声に見えない透かしを入れる</translation>
    </message>
    <message>
        <source>Sign saved pictures, sound and walks with content credentials (C2PA)</source>
        <translation>保存する画像・音声・動画にコンテンツ認証情報の署名を入れる</translation>
    </message>
    <message>
        <source>API server</source>
        <translation>API サーバー</translation>
    </message>
    <message>
        <source>127.0.0.1: this machine only; 0.0.0.0: every network this machine is on</source>
        <translation>127.0.0.1：このマシンのみ。0.0.0.0：このマシンがつながっているすべてのネットワーク</translation>
    </message>
    <message>
        <source>Port</source>
        <translation>ポート</translation>
    </message>
    <message>
        <source>Listen on</source>
        <translation>待ち受けアドレス</translation>
    </message>
    <message>
        <source>None (only for 127.0.0.1)</source>
        <translation>なし（127.0.0.1 の場合のみ）</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Make a new random key (clients must then use the new one)</source>
        <translation>新しいランダムなキーを作ります（クライアントは新しいキーを使う必要があります）</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>API キー</translation>
    </message>
    <message>
        <source>Clients send the key as “Authorization: Bearer KEY”. Changes apply the next time Serve API (in the Jobs dock) starts the server.</source>
        <translation>クライアントはキーを「Authorization: Bearer キー」の形で送ります。変更は、次に（ジョブ欄の）「API を提供」でサーバーを起動したときに反映されます。</translation>
    </message>
    <message>
        <source>A mark that says the picture or clip was made with Sōzō Studio (the command line&apos;s verify reads it).</source>
        <translation>画像や音声が Sōzō Studio で作られたことを示す印です（コマンドラインの検証で読み取れます）。</translation>
    </message>
    <message>
        <source>Key fingerprint: %1</source>
        <translation>鍵のフィンガープリント: %1</translation>
    </message>
    <message>
        <source>Provenance</source>
        <translation>来歴</translation>
    </message>
    <message>
        <source>Key fingerprint: made on first signing</source>
        <translation>鍵のフィンガープリント: 最初の署名時に作られます</translation>
    </message>
    <message>
        <source>The new language is shown when the studio starts again. Restart now? Running jobs are stopped.</source>
        <translation>新しい言語はスタジオの再起動後に表示されます。今すぐ再起動しますか？実行中のジョブは中止されます。</translation>
    </message>
</context>
<context>
    <name>SpeechControls</name>
    <message>
        <source>Type the text to be spoken… Markup: [pause 500ms], &lt;break time=&quot;1s&quot;/&gt;, [voice kokoro:jf_alpha].</source>
        <translation>読み上げる文章を入力… 記法：[pause 500ms]、&lt;break time=&quot;1s&quot;/&gt;、[voice kokoro:jf_alpha]。</translation>
    </message>
    <message>
        <source>Voice</source>
        <translation>音声</translation>
    </message>
    <message>
        <source>Add Piper voice…</source>
        <translation>Piper 音声を追加…</translation>
    </message>
    <message>
        <source>A Piper .onnx voice with its .onnx.json beside it</source>
        <translation>同じ場所に .onnx.json がある Piper の .onnx 音声</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>速さ</translation>
    </message>
    <message>
        <source>Expressiveness (noise)</source>
        <translation>表現の豊かさ（noise）</translation>
    </message>
    <message>
        <source>Rhythm (noise w)</source>
        <translation>リズム（noise w）</translation>
    </message>
    <message>
        <source>Blend with</source>
        <translation>ブレンド相手</translation>
    </message>
    <message>
        <source>(no blend)</source>
        <translation>（ブレンドなし）</translation>
    </message>
    <message>
        <source>Weight of the second voice; released: a short preview</source>
        <translation>2 つ目の音声の割合。離すと短く試聴します</translation>
    </message>
    <message>
        <source>Save blend…</source>
        <translation>ブレンドを保存…</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Speak</source>
        <translation>話す</translation>
    </message>
    <message>
        <source>%1 — not installed</source>
        <translation>%1 — 未インストール</translation>
    </message>
    <message>
        <source>A saved blend</source>
        <translation>保存したブレンド</translation>
    </message>
    <message>
        <source>Pick a Kokoro voice, then a second one to blend with.</source>
        <translation>Kokoro の音声を選び、ブレンドする 2 つ目の音声を選んでください。</translation>
    </message>
</context>
<context>
    <name>SpeechPanel</name>
    <message>
        <source>Everything else works: export the audio to listen to it.</source>
        <translation>ほかの機能は使えます。音声を書き出して聴いてください。</translation>
    </message>
    <message>
        <source>Speech</source>
        <translation>音声</translation>
    </message>
    <message>
        <source>Have a script read by a natural voice in English or Japanese, shape the voice, and export the audio.</source>
        <translation>原稿を自然な英語または日本語の声で読み上げ、声を調整して、音声を書き出します。</translation>
    </message>
    <message>
        <source>Playback is off: %1</source>
        <translation>再生できません：%1</translation>
    </message>
    <message>
        <source>Load voice %1</source>
        <translation>音声 %1 の読み込み</translation>
    </message>
    <message>
        <source>Add a Piper voice</source>
        <translation>Piper 音声を追加</translation>
    </message>
    <message>
        <source>Piper voice (*.onnx)</source>
        <translation>Piper 音声 (*.onnx)</translation>
    </message>
    <message>
        <source>Added the voice %1.</source>
        <translation>音声 %1 を追加しました。</translation>
    </message>
    <message>
        <source>Pick a Kokoro voice and a second voice to blend first.</source>
        <translation>先に Kokoro の音声と、ブレンドする 2 つ目の音声を選んでください。</translation>
    </message>
    <message>
        <source>Save blend</source>
        <translation>ブレンドを保存</translation>
    </message>
    <message>
        <source>Name for this voice:</source>
        <translation>この音声の名前：</translation>
    </message>
    <message>
        <source>Saved the blend as the voice %1.</source>
        <translation>ブレンドを音声 %1 として保存しました。</translation>
    </message>
    <message>
        <source>Speech #%1</source>
        <translation>音声 #%1</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>開始しています…</translation>
    </message>
    <message>
        <source>The voice %1 is ready.</source>
        <translation>音声 %1 の準備ができました。</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>一時停止</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>再生</translation>
    </message>
    <message>
        <source>Exported %1</source>
        <translation>%1 を書き出しました</translation>
    </message>
    <message>
        <source>Export the audio</source>
        <translation>音声を書き出す</translation>
    </message>
    <message>
        <source>Audio ({formats})</source>
        <translation>音声 ({formats})</translation>
    </message>
    <message>
        <source>Exported {path}</source>
        <translation>{path} に書き出しました</translation>
    </message>
    <message>
        <source>Nothing to export yet: speak something first.</source>
        <translation>まだ書き出すものがありません。先に何か話させてください。</translation>
    </message>
    <message>
        <source>audio</source>
        <translation>音声</translation>
    </message>
    <message>
        <source>%1: a clip is being spoken; stop it first (Esc).</source>
        <translation>%1：読み上げ中です。先に停止してください（Esc）。</translation>
    </message>
    <message>
        <source>Opened %1 (%2 s at %3 Hz).</source>
        <translation>%1 を開きました（%2 秒、%3 Hz）。</translation>
    </message>
    <message>
        <source>Its script and settings are restored; its voice %1 is not installed here.</source>
        <translation>台本と設定を復元しました。声 %1 はここにはインストールされていません。</translation>
    </message>
    <message>
        <source>Its script, voice and settings are restored.</source>
        <translation>台本・声・設定を復元しました。</translation>
    </message>
    <message>
        <source>%1 does not exist.</source>
        <translation>%1 は存在しません。</translation>
    </message>
    <message>
        <source>%1 is a folder.</source>
        <translation>%1 はフォルダーです。</translation>
    </message>
    <message>
        <source>%1 is %2 audio: open a WAV, FLAC, OGG or MP3 file.</source>
        <translation>%1 は %2 形式の音声です。WAV・FLAC・OGG・MP3 ファイルを開いてください。</translation>
    </message>
    <message>
        <source>%1 holds no audio.</source>
        <translation>%1 には音声がありません。</translation>
    </message>
    <message>
        <source>%1 is longer than an hour: too long to open here.</source>
        <translation>%1 は 1 時間を超えるため、ここでは開けません。</translation>
    </message>
    <message>
        <source>%1 cannot be read as audio (%2).</source>
        <translation>%1 を音声として読み込めません（%2）。</translation>
    </message>
    <message>
        <source>Nothing could be spoken.</source>
        <translation>何も読み上げられませんでした。</translation>
    </message>
    <message>
        <source>%1 s of audio in %2 s · ran on ONNX Runtime %3.</source>
        <translation>%1 秒の音声を %2 秒で生成 · ONNX Runtime %3 で実行。</translation>
    </message>
    <message>
        <source>Stopped; kept %1 s of audio.</source>
        <translation>停止しました。%1 秒の音声を残しています。</translation>
    </message>
    <message>
        <source>Kept %1 s of audio.</source>
        <translation>%1 秒の音声を残しています。</translation>
    </message>
    <message>
        <source>Speaking…</source>
        <translation>読み上げ中…</translation>
    </message>
    <message>
        <source>%1 s of audio</source>
        <translation>音声 %1 秒</translation>
    </message>
    <message>
        <source>Loading the voice %1…</source>
        <translation>音声 %1 を読み込んでいます…</translation>
    </message>
    <message>
        <source>%1 is ready</source>
        <translation>%1 の準備ができました</translation>
    </message>
</context>
<context>
    <name>SteeringDialog</name>
    <message>
        <source>New steering direction</source>
        <translation>新しいステアリング方向</translation>
    </message>
    <message>
        <source>Give pairs of texts that say the same thing and differ only in the quality you want a slider for, for example “Arr, the sea be calling me, matey!” and “The sea is calling me, friend.” Positive strengths move replies towards the left column. More pairs (5–20) make a steadier direction.</source>
        <translation>同じ内容で、スライダーにしたい性質だけが違う文章の組を入力してください。例：「おう、海がオレを呼んでるぜ、相棒！」と「海が私を呼んでいます、友よ。」正の強さで、返答が左の列に近づきます。組が多いほど（5〜20 組）方向が安定します。</translation>
    </message>
    <message>
        <source>pirate (letters, digits, - and _)</source>
        <translation>pirate（英数字、- と _）</translation>
    </message>
    <message>
        <source>pirate</source>
        <translation>海賊</translation>
    </message>
    <message>
        <source>plain</source>
        <translation>普通</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>名前</translation>
    </message>
    <message>
        <source>Positive end</source>
        <translation>正の端</translation>
    </message>
    <message>
        <source>Negative end</source>
        <translation>負の端</translation>
    </message>
    <message>
        <source>Positive text</source>
        <translation>正の文章</translation>
    </message>
    <message>
        <source>Negative text</source>
        <translation>負の文章</translation>
    </message>
    <message>
        <source>Add pair</source>
        <translation>組を追加</translation>
    </message>
    <message>
        <source>Remove selected</source>
        <translation>選択を削除</translation>
    </message>
    <message>
        <source>Pair %1 has only one text: fill in both columns or remove it.</source>
        <translation>組 %1 には文章が片方しかありません。両方の列を埋めるか、削除してください。</translation>
    </message>
</context>
<context>
    <name>SteeringSlidersBox</name>
    <message>
        <source>formal</source>
        <translation>丁寧</translation>
    </message>
    <message>
        <source>casual</source>
        <translation>くだけた</translation>
    </message>
    <message>
        <source>positive</source>
        <translation>前向き</translation>
    </message>
    <message>
        <source>negative</source>
        <translation>後ろ向き</translation>
    </message>
    <message>
        <source>concise</source>
        <translation>簡潔</translation>
    </message>
    <message>
        <source>verbose</source>
        <translation>冗長</translation>
    </message>
    <message>
        <source>Latent steering</source>
        <translation>潜在ステアリング</translation>
    </message>
    <message>
        <source>Adds a direction to the model&apos;s hidden states. A slider that is not at zero when you send can be moved while the reply streams. Each end is the strongest setting measured to keep replies fluent on this model.</source>
        <translation>モデルの隠れ状態に方向を加えます。送信時にゼロ以外のスライダーは、返答の生成中にも動かせます。両端は、このモデルで返答の流暢さを保てると測定された最も強い設定です。</translation>
    </message>
    <message>
        <source>New direction…</source>
        <translation>新しい方向…</translation>
    </message>
    <message>
        <source>Build your own slider from pairs of example texts (kept in your settings).</source>
        <translation>例文の組から独自のスライダーを作ります（設定に保存されます）。</translation>
    </message>
    <message>
        <source>This model&apos;s backend (llama.cpp) does not support steering.</source>
        <translation>このモデルのバックエンド（llama.cpp）はステアリングに対応していません。</translation>
    </message>
    <message>
        <source>(calibrated)</source>
        <translation>（較正済み）</translation>
    </message>
    <message>
        <source>(not calibrated)</source>
        <translation>（未較正）</translation>
    </message>
    <message>
        <source>(yours)</source>
        <translation>（自作）</translation>
    </message>
    <message>
        <source>Strength %1 to %2 (%3)</source>
        <translation>強さ %1 〜 %2（%3）</translation>
    </message>
    <message>
        <source>calibrated</source>
        <translation>較正済み</translation>
    </message>
    <message>
        <source>not calibrated for this model</source>
        <translation>このモデルでは未較正</translation>
    </message>
    <message>
        <source>run %1 to measure its range</source>
        <translation>範囲を測るには %1 を実行してください</translation>
    </message>
    <message>
        <source>Saved the steering direction &apos;%1&apos;. Its vector is built for the model the first time you send with the slider away from zero.</source>
        <translation>ステアリング方向「%1」を保存しました。スライダーをゼロ以外にして初めて送信したときに、そのモデル用のベクトルが作られます。</translation>
    </message>
</context>
<context>
    <name>StudioSettings</name>
    <message>
        <source>The settings file held {value} for {key}: using the default, {default}.</source>
        <translation>設定ファイルの {key} の値 {value} は使えないため、既定値 {default} を使います。</translation>
    </message>
</context>
<context>
    <name>TextControls</name>
    <message>
        <source>Model</source>
        <translation>モデル</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>読み込み…</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>プリセット</translation>
    </message>
    <message>
        <source>Sent before your message, e.g. “Summarise the following text:”. Your edits are kept for this preset.</source>
        <translation>メッセージの前に送られます（例：「次の文章を要約してください：」）。編集内容はこのプリセットに保存されます。</translation>
    </message>
    <message>
        <source>System prompt (optional): how the assistant behaves</source>
        <translation>システム プロンプト（任意）：アシスタントのふるまい</translation>
    </message>
    <message>
        <source>Write a message… (Ctrl+Enter sends)</source>
        <translation>メッセージを入力…（Ctrl+Enter で送信）</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>新しいチャット</translation>
    </message>
    <message>
        <source>Open…</source>
        <translation>開く…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>書き出し…</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>送信</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation>サンプリング</translation>
    </message>
    <message>
        <source>random</source>
        <translation>ランダム</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Top-p</source>
        <translation>Top-p</translation>
    </message>
    <message>
        <source>Top-k</source>
        <translation>Top-k</translation>
    </message>
    <message>
        <source>Repetition penalty</source>
        <translation>繰り返しペナルティ</translation>
    </message>
    <message>
        <source>Max new tokens</source>
        <translation>最大生成トークン数</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>シード</translation>
    </message>
</context>
<context>
    <name>TextPanel</name>
    <message>
        <source>Text</source>
        <translation>テキスト</translation>
    </message>
    <message>
        <source>Chat, continue a draft, summarise, translate or rewrite with a language model that stays on this machine.</source>
        <translation>このマシンの中だけで動く言語モデルで、チャット、下書きの続き、要約、翻訳、書き直しができます。</translation>
    </message>
    <message>
        <source>Model folder (Hugging Face)…</source>
        <translation>モデル フォルダー（Hugging Face）…</translation>
    </message>
    <message>
        <source>GGUF file…</source>
        <translation>GGUF ファイル…</translation>
    </message>
    <message>
        <source>Markdown…</source>
        <translation>Markdown…</translation>
    </message>
    <message>
        <source>JSON…</source>
        <translation>JSON…</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>準備完了。</translation>
    </message>
    <message>
        <source>%1 (not installed)</source>
        <translation>%1（未インストール）</translation>
    </message>
    <message>
        <source>Imported %1.</source>
        <translation>%1 を読み込みました。</translation>
    </message>
    <message>
        <source>Hugging Face model folder</source>
        <translation>Hugging Face モデル フォルダー</translation>
    </message>
    <message>
        <source>GGUF model</source>
        <translation>GGUF モデル</translation>
    </message>
    <message>
        <source>GGUF (*.gguf)</source>
        <translation>GGUF (*.gguf)</translation>
    </message>
    <message>
        <source>None: your message is sent as it is</source>
        <translation>なし：メッセージをそのまま送ります</translation>
    </message>
    <message>
        <source>Copied.</source>
        <translation>コピーしました。</translation>
    </message>
    <message>
        <source>Edit the message and send it again.</source>
        <translation>メッセージを編集して、もう一度送信してください。</translation>
    </message>
    <message>
        <source>New conversation.</source>
        <translation>新しい会話。</translation>
    </message>
    <message>
        <source>Opened “%1”.</source>
        <translation>「%1」を開きました。</translation>
    </message>
    <message>
        <source>From a file…</source>
        <translation>ファイルから…</translation>
    </message>
    <message>
        <source>Open conversation</source>
        <translation>会話を開く</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Export conversation</source>
        <translation>会話を書き出す</translation>
    </message>
    <message>
        <source>Exported to %1.</source>
        <translation>%1 に書き出しました。</translation>
    </message>
    <message>
        <source>Could not write %1: %2</source>
        <translation>%1 に書き込めませんでした：%2</translation>
    </message>
    <message>
        <source>The prompt is empty: type a message first.</source>
        <translation>入力欄が空です。先にメッセージを入力してください。</translation>
    </message>
    <message>
        <source>Text reply</source>
        <translation>テキストの返答</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>開始しています…</translation>
    </message>
    <message>
        <source>Not enough GPU memory</source>
        <translation>GPU メモリが足りません</translation>
    </message>
    <message>
        <source>%1

Run it on the CPU?</source>
        <translation>%1

CPU で実行しますか？</translation>
    </message>
    <message>
        <source>Streaming · %1</source>
        <translation>生成中 · %1</translation>
    </message>
    <message>
        <source>Working…</source>
        <translation>処理中…</translation>
    </message>
    <message>
        <source>The reply failed.</source>
        <translation>返答に失敗しました。</translation>
    </message>
    <message>
        <source>%1 tokens/s</source>
        <translation>%1 トークン/秒</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完了</translation>
    </message>
    <message>
        <source>seed %1</source>
        <translation>シード %1</translation>
    </message>
    <message>
        <source>Could not save the conversation: %1</source>
        <translation>会話を保存できませんでした：%1</translation>
    </message>
</context>
<context>
    <name>WaveformWidget</name>
    <message>
        <source>The waveform appears here.</source>
        <translation>ここに波形が表示されます。</translation>
    </message>
</context>
</TS>
