package planner

// subtree is a generated subtree laid out whole: each folder's file count
// drawn from the Impressions model until the subtree's files are placed,
// and its shape grown the Impressions way, each new folder choosing its
// parent with probability in proportion to the parent's subfolders plus
// two. Counts are drawn independently, so folders follow the model
// exactly but for the last, which takes what remains.
type subtree struct {
	layers int
	own    []int64 // per folder, per layer
	first  []int32 // first subfolder, or -1
	next   []int32 // next sibling, or -1
}

// generic reports whether what grows beneath n is generated folders named
// from words, the part of the tree that subtrees lay out.
func (n *node) generic() bool {
	return n.grow == "" && (n.spec == nil || len(n.spec.Children) == 0) && !n.empty
}

// layout lays out the subtree rooted at n, which holds n.budget files.
func (g *generator) layout(n node) *subtree {
	t := &subtree{layers: len(n.budget)}
	rem := append([]int64(nil), n.budget...)
	left := sum(rem)

	// Tokens for choosing parents: each folder holds two, plus one per
	// subfolder, so a uniform token picks a parent with probability in
	// proportion to its subfolders plus two.
	var tokens []int32
	var last []int32
	for j := int32(0); left > 0 || j == 0; j++ {
		r := newRand(hashKey(n.key, layerTree, 1<<33, uint64(j)))
		count := min(int64(g.perDir.Draw(&r)), left)
		if j == 0 && count == 0 && left <= 1 {
			// A folder of one file is that file's folder.
			count = left
		}
		own := divide(count, toFloat(rem))
		for l := range rem {
			rem[l] -= own[l]
		}
		left -= count
		t.own = append(t.own, own...)
		t.first = append(t.first, -1)
		t.next = append(t.next, -1)
		last = append(last, -1)
		if j > 0 {
			p := tokens[r.Intn(len(tokens))]
			if last[p] < 0 {
				t.first[p] = j
			} else {
				t.next[last[p]] = j
			}
			last[p] = j
			tokens = append(tokens, p)
		}
		tokens = append(tokens, j, j)
	}
	return t
}

func (t *subtree) ownOf(i int32) []int64 {
	return t.own[int(i)*t.layers : int(i+1)*t.layers]
}

// subChildren makes the nodes of the subfolders of n in its subtree, with
// names drawn from n's words, distinct regardless of case.
func (g *generator) subChildren(r *Rand, n node) []node {
	var idx []int32
	for c := n.sub.first[n.idx]; c >= 0; c = n.sub.next[c] {
		idx = append(idx, c)
	}
	if len(idx) == 0 || n.depth >= maxDepth {
		return nil
	}
	names := g.distinct(r, len(idx), func(r *Rand) string {
		if r.Intn(3) == 0 {
			return n.ctx.words[r.Intn(len(n.ctx.words))]
		}
		return folderWords[r.Intn(len(folderWords))]
	})
	kids := make([]node, len(idx))
	for i, c := range idx {
		kids[i] = g.child(n, i, names[i], nil, nil)
		kids[i].sub, kids[i].idx = n.sub, c
	}
	return kids
}
