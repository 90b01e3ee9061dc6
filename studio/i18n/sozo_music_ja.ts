<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja" sourcelanguage="en">
<context>
    <name>MelodySlot</name>
    <message>
        <source>&lt;b&gt;Melody {name}&lt;/b&gt; — empty (sample, take the roll, or drop a .mid)</source>
        <translation>&lt;b&gt;メロディ {name}&lt;/b&gt; — 空 (サンプル / ロールから / .mid をドロップ)</translation>
    </message>
    <message>
        <source>Sample</source>
        <translation>サンプル</translation>
    </message>
    <message>
        <source>From roll</source>
        <translation>ロールから</translation>
    </message>
    <message>
        <source>Use the melody drawn in the piano roll</source>
        <translation>ピアノロールに描いたメロディを使います</translation>
    </message>
    <message numerus="yes">
        <source>%n bars</source>
        <translation>
            <numerusform>%n 小節</numerusform>
        </translation>
    </message>
    <message>
        <source>&lt;b&gt;Melody {name}&lt;/b&gt; — {source}, {bars}</source>
        <translation>&lt;b&gt;メロディ {name}&lt;/b&gt; — {source}、{bars}</translation>
    </message>
</context>
<context>
    <name>MusicControls</name>
    <message>
        <source>Note density</source>
        <translation>音の密度</translation>
    </message>
    <message>
        <source>Pitch range</source>
        <translation>音域</translation>
    </message>
    <message>
        <source>Syncopation</source>
        <translation>シンコペーション</translation>
    </message>
    <message>
        <source>piano</source>
        <translation>ピアノ</translation>
    </message>
    <message>
        <source>electric piano</source>
        <translation>エレクトリックピアノ</translation>
    </message>
    <message>
        <source>harpsichord</source>
        <translation>チェンバロ</translation>
    </message>
    <message>
        <source>music box</source>
        <translation>オルゴール</translation>
    </message>
    <message>
        <source>vibraphone</source>
        <translation>ビブラフォン</translation>
    </message>
    <message>
        <source>organ</source>
        <translation>オルガン</translation>
    </message>
    <message>
        <source>accordion</source>
        <translation>アコーディオン</translation>
    </message>
    <message>
        <source>nylon guitar</source>
        <translation>ナイロンギター</translation>
    </message>
    <message>
        <source>steel guitar</source>
        <translation>スチールギター</translation>
    </message>
    <message>
        <source>violin</source>
        <translation>バイオリン</translation>
    </message>
    <message>
        <source>cello</source>
        <translation>チェロ</translation>
    </message>
    <message>
        <source>strings</source>
        <translation>ストリングス</translation>
    </message>
    <message>
        <source>trumpet</source>
        <translation>トランペット</translation>
    </message>
    <message>
        <source>clarinet</source>
        <translation>クラリネット</translation>
    </message>
    <message>
        <source>flute</source>
        <translation>フルート</translation>
    </message>
    <message>
        <source>pan flute</source>
        <translation>パンフルート</translation>
    </message>
    <message>
        <source>whistle</source>
        <translation>口笛</translation>
    </message>
    <message>
        <source>bagpipe</source>
        <translation>バグパイプ</translation>
    </message>
    <message>
        <source>fiddle</source>
        <translation>フィドル</translation>
    </message>
    <message>
        <source>Morph melody A into melody B (needs both)</source>
        <translation>メロディ A をメロディ B へモーフィングします (両方が必要)</translation>
    </message>
    <message>
        <source>Move the melody along the {attribute} direction found in the data</source>
        <translation>データから見つけた「{attribute}」の方向にメロディを動かします</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>温度</translation>
    </message>
    <message>
        <source>Instrument</source>
        <translation>楽器</translation>
    </message>
    <message>
        <source>Tempo</source>
        <translation>テンポ</translation>
    </message>
    <message>
        <source>Bass and chords</source>
        <translation>ベースと和音</translation>
    </message>
    <message>
        <source>Sample</source>
        <translation>サンプル</translation>
    </message>
    <message>
        <source>A new melody (Ctrl+Enter)</source>
        <translation>新しいメロディ (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Bars</source>
        <translation>小節数</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>続きを作る</translation>
    </message>
    <message>
        <source>Add the number of bars above after the melody</source>
        <translation>メロディの後ろに、指定した小節数を書き足します</translation>
    </message>
    <message>
        <source>Variations</source>
        <translation>変奏</translation>
    </message>
    <message>
        <source>Melodies near this one (from the VAE&apos;s latent space)</source>
        <translation>このメロディに近いメロディ (VAE の潜在空間から)</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>再生</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>書き出し</translation>
    </message>
    <message>
        <source>Write audio and MIDI to the output folder</source>
        <translation>音声と MIDI を出力フォルダーに書き出します</translation>
    </message>
    <message>
        <source>Export as…</source>
        <translation>名前を付けて書き出す…</translation>
    </message>
    <message>
        <source>Choose where to write the audio</source>
        <translation>音声の書き出し先を選ぶ</translation>
    </message>
</context>
<context>
    <name>MusicPanel</name>
    <message>
        <source>Export the melody to hear it.</source>
        <translation>聴くにはメロディを書き出してください。</translation>
    </message>
    <message>
        <source>Music</source>
        <translation>音楽</translation>
    </message>
    <message>
        <source>Sketch a melody, morph one tune into another, continue it, and hear it on real instruments.</source>
        <translation>メロディを描き、別の曲へモーフィングし、続きを作り、本物の楽器の音で聴けます。</translation>
    </message>
    <message>
        <source>Sample a melody, or draw one: click to add notes, drag to move, right-click to delete.</source>
        <translation>メロディをサンプルするか、描いてください: クリックで音を追加、ドラッグで移動、右クリックで削除。</translation>
    </message>
    <message>
        <source>↗ audio</source>
        <translation>↗ 音声</translation>
    </message>
    <message>
        <source>{title}…</source>
        <translation>{title}…</translation>
    </message>
    <message>
        <source>{title} failed: {error}</source>
        <translation>{title} に失敗しました: {error}</translation>
    </message>
    <message>
        <source>{title} cancelled.</source>
        <translation>{title} を中止しました。</translation>
    </message>
    <message>
        <source>{title}: {message}</source>
        <translation>{title}: {message}</translation>
    </message>
    <message numerus="yes">
        <source>Sampled %n bars (seed {seed}).</source>
        <translation>
            <numerusform>%n 小節をサンプルしました (シード {seed})。</numerusform>
        </translation>
    </message>
    <message>
        <source>Sample melody</source>
        <translation>メロディのサンプル</translation>
    </message>
    <message>
        <source>sampled (seed {seed})</source>
        <translation>サンプル (シード {seed})</translation>
    </message>
    <message>
        <source>Melody {name} sampled (seed {seed}).</source>
        <translation>メロディ {name} をサンプルしました (シード {seed})。</translation>
    </message>
    <message>
        <source>Sample melody {name}</source>
        <translation>メロディ {name} のサンプル</translation>
    </message>
    <message>
        <source>The piano roll is empty: draw some notes first.</source>
        <translation>ピアノロールが空です。先に音を描いてください。</translation>
    </message>
    <message>
        <source>drawn</source>
        <translation>手描き</translation>
    </message>
    <message>
        <source>Note: {notice}.</source>
        <translation>注: {notice}。</translation>
    </message>
    <message>
        <source>Loaded {file} into melody {name}: {summary}. {notes}</source>
        <translation>{file} をメロディ {name} に読み込みました: {summary}。{notes}</translation>
    </message>
    <message>
        <source>Settings restored from {file} (seed {seed}).</source>
        <translation>{file} から設定を復元しました（シード {seed}）。</translation>
    </message>
    <message>
        <source>Not available here: {names}.</source>
        <translation>ここでは使えません: {names}。</translation>
    </message>
    <message>
        <source>That file carries no Sōzō Studio melody settings.</source>
        <translation>このファイルには Sōzō Studio のメロディ設定がありません。</translation>
    </message>
    <message>
        <source>Read melody {name}</source>
        <translation>メロディ {name} の読み取り</translation>
    </message>
    <message>
        <source>Melody {name} in the roll.</source>
        <translation>メロディ {name} をロールに表示しました。</translation>
    </message>
    <message>
        <source>Drag the slider to morph melody A into melody B; click an in-between melody to take it.</source>
        <translation>スライダーをドラッグするとメロディ A が B へ変わります。途中のメロディはクリックで取り込めます。</translation>
    </message>
    <message>
        <source>{a}% A, {b}% B.</source>
        <translation>A {a}%、B {b}%。</translation>
    </message>
    <message>
        <source>In-between melody {i} of {n}.</source>
        <translation>途中のメロディ {i}/{n}。</translation>
    </message>
    <message>
        <source>Attributes applied.</source>
        <translation>特徴を適用しました。</translation>
    </message>
    <message>
        <source>Nothing to continue: sample or draw a melody first.</source>
        <translation>続けるメロディがありません。先にサンプルするか描いてください。</translation>
    </message>
    <message numerus="yes">
        <source>Continued by %n bars.</source>
        <translation>
            <numerusform>%n 小節続けました。</numerusform>
        </translation>
    </message>
    <message>
        <source>Continue melody</source>
        <translation>メロディの続き</translation>
    </message>
    <message>
        <source>Nothing to vary: sample or draw a melody first.</source>
        <translation>変化させるメロディがありません。先にサンプルするか描いてください。</translation>
    </message>
    <message>
        <source>Variations below the slider: click one to take it.</source>
        <translation>スライダーの下に変奏を並べました。クリックで取り込めます。</translation>
    </message>
    <message>
        <source>Variations</source>
        <translation>変奏</translation>
    </message>
    <message>
        <source>Wrote {files}; {loudness}.</source>
        <translation>{files} を書き出しました。{loudness}。</translation>
    </message>
    <message>
        <source>melody</source>
        <translation>メロディー</translation>
    </message>
    <message>
        <source>Export melody</source>
        <translation>メロディの書き出し</translation>
    </message>
    <message>
        <source>Export the melody</source>
        <translation>メロディーを書き出す</translation>
    </message>
    <message>
        <source>Audio ({formats})</source>
        <translation>音声 ({formats})</translation>
    </message>
    <message>
        <source>Cannot use the output folder {folder}: {error}</source>
        <translation>出力フォルダー {folder} を使えません: {error}</translation>
    </message>
    <message>
        <source>Render melody</source>
        <translation>メロディのレンダリング</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>再生</translation>
    </message>
</context>
</TS>
