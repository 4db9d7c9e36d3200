package znet

import "zinx/v1.0-epoll/ziface"

// StartWorkerPool starts WorkerPoolSize workers, each with a queue of
// MaxWorkerTaskLen entries (burst.go), and fixes the routes: AddRouter
// panics from then on. It reads WorkerPoolSize once; changing the field
// later changes nothing. Later calls do nothing. The server calls it in
// Start.
//
// The course read utils.GlobalObject.WorkerPoolSize here and again in every
// reader, so a Reload in between could send requests to queues that did not
// exist; and its workers looped forever, with no way to stop them.
func (mh *MsgHandle) StartWorkerPool() {
	mh.startOnce.Do(func() {
		mh.seal()
		mh.poolSize = mh.WorkerPoolSize
		mh.TaskQueue = make([]chan ziface.IRequest, mh.poolSize)
		for i := range mh.TaskQueue {
			// 一个worker对应一个queue: each worker owns one bounded queue.
			// At least one slot, even if MaxWorkerTaskLen is 0 (NewMsgHandle
			// takes it from GlobalObject unchecked): stopWorkers' wake-up
			// never waits, and an unbuffered queue could miss a worker
			// about to receive.
			mh.TaskQueue[i] = make(chan ziface.IRequest, max(mh.maxTaskLen, 1))
			mh.workers.Add(1)
			go mh.startOneWorker(i, mh.TaskQueue[i])
		}
		if mh.poolSize > 0 {
			mh.log.Info("worker pool started", "workers", mh.poolSize, "queue_len", mh.maxTaskLen)
		}
	})
}

// SendMsgToTaskQueue queues request for worker ConnID % WorkerPoolSize, so
// one connection's requests all go to one queue and run in arrival order.
// While that queue is full it waits; it gives up, dropping the request, once
// the pool stops. With a pool of size 0 it runs the request on the calling
// goroutine. The server's event loops never call it, since they must not
// wait: they use trySubmit, and a connection's backlog (backlog.go).
//
// A handler that queues a request again, onto its own worker, while that
// queue is full, waits for itself: the worker, and every connection it
// serves, stops for good. Queue again from another goroutine if it may be
// full.
func (mh *MsgHandle) SendMsgToTaskQueue(request ziface.IRequest) {
	if r, ok := request.(*Request); ok && r.conn != nil {
		// A request the loop read, queued again by its handler: it will be
		// finished again, so it holds its connection open again. With
		// RequestPoolMode its entry's arena is recycled once the handler
		// returns, so a copy is what waits in the queue.
		if r.arena != nil {
			request = r.detached()
		}
		r.conn.ec.hold(1)
	}
	if mh.poolSize == 0 {
		mh.runTask(request)
		return
	}
	mh.enqueue(request)
}

// queueFor returns the queue of the worker that serves request's connection.
func (mh *MsgHandle) queueFor(request ziface.IRequest) chan ziface.IRequest {
	return mh.TaskQueue[request.GetConnection().GetConnID()%mh.poolSize]
}

// trySubmit queues request if its worker's queue has room, and reports
// whether it did. It never waits.
func (mh *MsgHandle) trySubmit(request ziface.IRequest) bool {
	select {
	case mh.queueFor(request) <- request:
		return true
	default:
		return false
	}
}

// enqueue queues request, waiting while its worker's queue is full, or
// drops it once the pool stops.
func (mh *MsgHandle) enqueue(request ziface.IRequest) {
	select {
	case mh.queueFor(request) <- request:
	case <-mh.quit:
		finishEntry(request)
	}
}

// startOneWorker runs the tasks of its queue, one at a time, until the pool
// stops. A task is a queue entry (requests of one read, burst.go) or a
// connection's start or stop hook, queued on the same worker as its requests
// so that the three run in order.
func (mh *MsgHandle) startOneWorker(workerID int, taskQueue chan ziface.IRequest) {
	defer mh.workers.Done()
	mh.log.Debug("Worker started", "worker_id", workerID)
	for {
		if mh.stopping() {
			return // a server stops its workers only once every connection has finished: the queues are empty
		}
		// Wait in a plain receive, not a select that also watches quit: a
		// select locks both channels to wait and again to wake (v0.9's
		// measurement). stopWorkers wakes a waiting worker with a nil task.
		task := <-taskQueue
		if task == nil {
			continue // stopWorkers' wake-up
		}
		// Run whatever else is queued before waiting again. Not watching
		// quit meanwhile is safe: the pool stops after the connections have
		// finished, and so after their tasks. The worker counts as busy
		// from its first task to its empty queue, or the wake-up that ends
		// the run, not task by task: two atomic adds per run of tasks
		// instead of two per request.
		mh.busy.Add(1)
		for task != nil {
			mh.runTask(task)
			select {
			case task = <-taskQueue: // nil: stopWorkers' wake-up
			default:
				task = nil
			}
		}
		mh.busy.Add(-1)
	}
}

// runTask runs a hook, or a queue entry: a request and those linked behind
// it (runEntry).
func (mh *MsgHandle) runTask(task ziface.IRequest) {
	if h, ok := task.(*hookRequest); ok {
		h.run()
		return
	}
	mh.runEntry(task)
}

// stopWorkers tells every worker to exit once its current task is done. It
// does not wait; waitWorkers does.
//
// A worker checks quit before each wait, so one that is waiting, or about
// to, has an empty queue: the nil task sent here wakes it. If the queue is
// full the send is skipped, and that worker is not waiting: it runs what is
// queued, then finds quit closed before it would wait again.
func (mh *MsgHandle) stopWorkers() {
	mh.stopOnce.Do(func() {
		close(mh.quit)
		for _, queue := range mh.TaskQueue {
			select {
			case queue <- nil:
			default:
			}
		}
	})
}

// stopping reports whether stopWorkers has run.
func (mh *MsgHandle) stopping() bool {
	select {
	case <-mh.quit:
		return true
	default:
		return false
	}
}

// busyWorkers returns how many workers have tasks in hand: from a first
// task to an empty queue.
func (mh *MsgHandle) busyWorkers() int {
	return int(mh.busy.Load())
}

// waitWorkers returns once every worker has exited.
func (mh *MsgHandle) waitWorkers() {
	mh.workers.Wait()
}

// StopWorkerPool stops the workers and returns once they have exited, which
// waits for any handler still running. A worker runs the requests it finds
// queued before it next checks for the stop (skipping those whose connection
// has stopped); a request queued after that check, or a SendMsgToTaskQueue
// waiting on a full queue, is dropped. The server stops its pool itself, in
// Stop, after every connection has finished; this is for a MsgHandle used on
// its own.
func (mh *MsgHandle) StopWorkerPool() {
	mh.stopWorkers()
	mh.waitWorkers()
}

// isClosedConn reports whether request's connection has stopped.
func isClosedConn(request ziface.IRequest) bool {
	if c, ok := request.GetConnection().(*Connection); ok {
		return c.isClosed()
	}
	return false
}
