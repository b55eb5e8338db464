package io.minicluster.apiserver.patch;

import java.util.List;
import java.util.function.BiPredicate;

/**
 * Go's {@code sort.SliceStable}: insertion sort on blocks of 20, then in-place SymMerge. The strategic merge patch
 * orders lists with a "less" that is not a strict weak order when an element is missing from the reference order;
 * reproducing Go's exact algorithm keeps the resulting order identical to the apiserver's in that case too. Runs in
 * O(n log² n) comparisons; recursion depth is O(log n).
 */
final class GoStableSort {
  private static final int BLOCK_SIZE = 20;

  private GoStableSort() {}

  static <T> void sort(List<T> items, BiPredicate<T, T> less) {
    new Sorter<>(items, less).stable(items.size());
  }

  private static final class Sorter<T> {
    private final List<T> items;
    private final BiPredicate<T, T> less;

    Sorter(List<T> items, BiPredicate<T, T> less) {
      this.items = items;
      this.less = less;
    }

    private boolean less(int i, int j) {
      return less.test(items.get(i), items.get(j));
    }

    private void swap(int i, int j) {
      T item = items.get(i);
      items.set(i, items.get(j));
      items.set(j, item);
    }

    void stable(int n) {
      int blockSize = BLOCK_SIZE;
      int a = 0;
      int b = blockSize;
      while (b <= n) {
        insertionSort(a, b);
        a = b;
        b += blockSize;
      }
      insertionSort(a, n);
      while (blockSize < n) {
        a = 0;
        b = 2 * blockSize;
        while (b <= n) {
          symMerge(a, a + blockSize, b);
          a = b;
          b += 2 * blockSize;
        }
        int m = a + blockSize;
        if (m < n) {
          symMerge(a, m, n);
        }
        blockSize *= 2;
      }
    }

    private void insertionSort(int a, int b) {
      for (int i = a + 1; i < b; i++) {
        for (int j = i; j > a && less(j, j - 1); j--) {
          swap(j, j - 1);
        }
      }
    }

    private void symMerge(int a, int m, int b) {
      if (m - a == 1) {
        int i = m;
        int j = b;
        while (i < j) {
          int h = (i + j) >>> 1;
          if (less(h, a)) {
            i = h + 1;
          } else {
            j = h;
          }
        }
        for (int k = a; k < i - 1; k++) {
          swap(k, k + 1);
        }
        return;
      }
      if (b - m == 1) {
        int i = a;
        int j = m;
        while (i < j) {
          int h = (i + j) >>> 1;
          if (!less(m, h)) {
            i = h + 1;
          } else {
            j = h;
          }
        }
        for (int k = m; k > i; k--) {
          swap(k, k - 1);
        }
        return;
      }
      int mid = (a + b) >>> 1;
      int n = mid + m;
      int start;
      int r;
      if (m > mid) {
        start = n - b;
        r = mid;
      } else {
        start = a;
        r = m;
      }
      int p = n - 1;
      while (start < r) {
        int c = (start + r) >>> 1;
        if (!less(p - c, c)) {
          start = c + 1;
        } else {
          r = c;
        }
      }
      int end = n - start;
      if (start < m && m < end) {
        rotate(start, m, end);
      }
      if (a < start && start < mid) {
        symMerge(a, start, mid);
      }
      if (mid < end && end < b) {
        symMerge(mid, end, b);
      }
    }

    private void rotate(int a, int m, int b) {
      int i = m - a;
      int j = b - m;
      while (i != j) {
        if (i > j) {
          swapRange(m - i, m, j);
          i -= j;
        } else {
          swapRange(m - i, m + j - i, i);
          j -= i;
        }
      }
      swapRange(m - i, m, i);
    }

    private void swapRange(int a, int b, int n) {
      for (int i = 0; i < n; i++) {
        swap(a + i, b + i);
      }
    }
  }
}
