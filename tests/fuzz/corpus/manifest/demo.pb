demo0.0.0"2kernel€  N* 2S$D¥ì­&y„•r@Eú7$ÀëYBEñ­aF¶>Ä"Brootfs-disk€€ à§*  S	#ktêUh!BLuEÐ«++ÁV»Ëò€Ž/r©08€À@€ :€€€@B	
defaultP¢Š‘Ø